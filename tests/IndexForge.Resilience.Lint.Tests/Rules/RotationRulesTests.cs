using Xunit;
using static IndexForge.Resilience.Lint.Tests.LintHarness;

namespace IndexForge.Resilience.Lint.Tests.Rules;

public sealed class RotationRulesTests
{
    private const string Header = "import asyncio\nimport os\nfrom datetime import datetime, timezone\nfrom hvac import Client\n\n";
    private const string Init = "class M:\n    def __init__(self):\n        self.client = Client(url='https://v:8200', token=os.environ['VAULT_TOKEN'])\n\n";

    private static Dictionary<string, string> Py(string body, string header = Header) => Files(("rotation/rotate.py", header + Init + body));

    [Fact]
    public void ROT001_AwaitOnSyncClient_FlaggedWhileToThreadIsNot()
    {
        var findings = AssertRule("ROT001",
            Py("    async def rotate(self, path):\n        await self.client.secrets.kv.v2.create_or_update_secret(path=path, secret={})\n"),
            Py("    async def rotate(self, path):\n        await asyncio.to_thread(self.client.secrets.kv.v2.create_or_update_secret, path=path, secret={})\n"));
        Assert.Equal(11, findings.Single().Line);
    }

    [Fact]
    public void ROT002_UtcNow_FlaggedWhileNowUtcIsNot() =>
        AssertRule("ROT002",
            Py("    def stamp(self):\n        return datetime.utcnow().isoformat()\n"),
            Py("    def stamp(self):\n        return datetime.now(timezone.utc).isoformat()  # not utcnow()\n"));

    [Fact]
    public void ROT003_MetadataKeyword_FlaggedWhileUpdateMetadataIsNot() =>
        AssertRule("ROT003",
            Py("    def write(self, path):\n        self.client.secrets.kv.v2.create_or_update_secret(\n            path=path,\n            secret={},\n            metadata={'a': 'b'}\n        )\n"),
            Py("    def write(self, path):\n        self.client.secrets.kv.v2.create_or_update_secret(path=path, secret={})\n        self.client.secrets.kv.v2.update_metadata(path=path, custom_metadata={'a': 'b'})\n"));

    [Fact]
    public void ROT004_OsWithoutImport_FlaggedWhileImportedIsNot() =>
        AssertRule("ROT004",
            Py("", header: "from hvac import Client\n\n"),
            Py(""));
}
