# Hardened Vault server configuration.
# - Integrated storage (raft): HA-capable, so standbys can take over (file storage is single-node).
#   disable_mlock is HashiCorp's recommendation with raft (its data is memory-mapped).
# - TLS on, TLS 1.2 minimum; cluster traffic on 8201.
# - No seal stanza: Shamir unseal by operators. awskms cannot work from a compose host without AWS
#   credentials; use a transit seal against another Vault when auto-unseal is required on-prem.
# - Telemetry for Prometheus: disable_hostname keeps gauge names stable (vault_core_unsealed, not
#   vault_<host>_core_unsealed); /v1/sys/metrics?format=prometheus is readable without a token.
ui            = false
disable_mlock = true

storage "raft" {
  path    = "/vault/file"
  node_id = "vault-0"
}

listener "tcp" {
  address         = "0.0.0.0:8200"
  cluster_address = "0.0.0.0:8201"
  tls_cert_file   = "/vault/tls/tls.crt"
  tls_key_file    = "/vault/tls/tls.key"
  tls_min_version = "tls12"

  telemetry {
    unauthenticated_metrics_access = true
  }
}

api_addr     = "https://vault.indexforge.local:8200"
cluster_addr = "https://vault.indexforge.local:8201"

telemetry {
  prometheus_retention_time = "30s"
  disable_hostname          = true
}
