using BemsServer.Tenancy;

namespace BemsServer.Admin;

/// <summary>Reset and deletion of tenants.</summary>
internal static class TenantOps
{
    /// <summary>Close code of the connections of a deleted or fully reset tenant (1012: service restart).</summary>
    public const int TenantClosedCode = 1012;

    public static async Task<bool> DeleteAsync(TenantRegistry tenants, string name)
    {
        if (tenants.Remove(name) is not { } tenant) return false;
        foreach (var connection in tenant.Control.Connections) connection.Close(TenantClosedCode, "tenant reset");
        tenant.Chats.Clear();
        await tenant.DisposeAsync();
        return true;
    }

    /// <summary>Traffic only: the journal, the chats (without frames), the push records and the fault rules; users, sessions and scripts stay.</summary>
    public static void ResetTraffic(Tenant tenant)
    {
        tenant.Control.Journal.Clear();
        tenant.Pushes.Clear();
        tenant.Chats.Clear();
        tenant.Control.Faults.Clear();
    }
}
