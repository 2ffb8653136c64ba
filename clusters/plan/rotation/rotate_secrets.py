# From the plan, "HashiCorp Vault Implementation / 3. Secret Rotation Strategy", exactly as written
# (a fragment of a module: generate_new_secret and alert_rotation_failure are not shown in the plan).
from hvac import Client
from datetime import datetime, timedelta

class VaultManager:
    def __init__(self):
        self.client = Client(
            url='https://vault.indexforge.local:8200',
            token=os.environ['VAULT_TOKEN']
        )

    async def rotate_secrets(self, path: str):
        try:
            secret = await self.generate_new_secret()
            await self.client.secrets.kv.v2.create_or_update_secret(
                path=path,
                secret=secret,
                metadata={
                    'rotation_date': datetime.utcnow().isoformat(),
                    'next_rotation': (datetime.utcnow() +
                        timedelta(days=30)).isoformat()
                }
            )
        except Exception as e:
            await self.alert_rotation_failure(path, str(e))
