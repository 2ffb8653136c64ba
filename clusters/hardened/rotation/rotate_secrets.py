"""Secret rotation for IndexForge: the plan's VaultManager with its mistakes fixed.

- hvac is synchronous: the blocking calls run in a worker thread (asyncio.to_thread), never awaited directly;
- create_or_update_secret has no metadata argument: custom_metadata is written with update_metadata;
- timestamps are timezone-aware UTC (datetime.now(timezone.utc)), so isoformat() carries +00:00;
- os is imported; the CA bundle comes from VAULT_CACERT;
- a failure is reported to the alert hook (without the secret) and returned, never swallowed silently.
"""
import asyncio
import os
import secrets
from datetime import datetime, timedelta, timezone

from hvac import Client

ROTATION_PERIOD = timedelta(days=30)


class VaultManager:
    def __init__(self, mount_point: str = "secret"):
        self.mount_point = mount_point
        self.client = Client(
            url=os.environ.get("VAULT_ADDR", "https://vault.indexforge.local:8200"),
            token=os.environ["VAULT_TOKEN"],
            verify=os.environ.get("VAULT_CACERT", True),
        )

    async def generate_new_secret(self) -> dict:
        return {"password": secrets.token_urlsafe(32)}

    async def alert_rotation_failure(self, path: str, reason: str) -> None:
        # Paging hook; the reason comes from hvac and never contains the secret value.
        print(f"rotation of {path} failed: {reason}", flush=True)

    def _write(self, path: str, secret: dict, now: datetime) -> None:
        kv = self.client.secrets.kv.v2
        kv.create_or_update_secret(path=path, secret=secret, mount_point=self.mount_point)
        kv.update_metadata(
            path=path,
            mount_point=self.mount_point,
            custom_metadata={
                "rotation_date": now.isoformat(),
                "next_rotation": (now + ROTATION_PERIOD).isoformat(),
            },
        )

    async def rotate_secrets(self, path: str) -> bool:
        try:
            secret = await self.generate_new_secret()
            now = datetime.now(timezone.utc)
            await asyncio.to_thread(self._write, path, secret, now)
            return True
        except Exception as e:
            await self.alert_rotation_failure(path, str(e))
            return False
