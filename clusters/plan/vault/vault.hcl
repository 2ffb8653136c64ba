# From the plan, "HashiCorp Vault Implementation / 2. Vault Configuration", exactly as written.
storage "file" {
  path = "/vault/file"
}

listener "tcp" {
  address = "0.0.0.0:8200"
  tls_disable = 0
  tls_cert_file = "/vault/config/cert.pem"
  tls_key_file = "/vault/config/key.pem"
}

seal "awskms" {
  region = "us-west-2"
  kms_key_id = "alias/vault-key"
}

api_addr = "https://vault.indexforge.local:8200"
cluster_addr = "https://vault.indexforge.local:8201"
