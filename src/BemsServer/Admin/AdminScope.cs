using BemsServer.Tenancy;

namespace BemsServer.Admin;

/// <summary>
/// The tenant an admin call works on: the <c>{tenant}</c> of <c>/admin/t/{tenant}/…</c>, or the default tenant for
/// <c>/admin/…</c>. A named tenant is created on first use (within <c>Bems:Tenants:Max</c>; reserved names are refused).
/// </summary>
internal sealed record AdminScope(Tenant Tenant)
{
    public static ValueTask<AdminScope?> BindAsync(HttpContext context)
    {
        var tenants = context.RequestServices.GetRequiredService<TenantRegistry>();
        var name = context.GetRouteValue("tenant") as string;
        AdminScope? scope = name is null or TenantRegistry.DefaultName ? new(tenants.Default)
            : tenants.TryGetOrCreate(name, out var tenant) == TenantRefusal.None ? new(tenant!)
            : null;
        return ValueTask.FromResult(scope);
    }
}
