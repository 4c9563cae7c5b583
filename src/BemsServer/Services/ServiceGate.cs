using BemsServer.Dispatch;
using BemsServer.Features.Directory;
using BemsServer.Features.Sessions;
using BemsServer.Protocol.Services;
using BemsServer.Tenancy;
using BemsServer.Transport;

namespace BemsServer.Services;

/// <summary>
/// What every service request goes through first: its tenant (the default one, or <c>/t/{tenant}/</c>, opened as a
/// client's WebSocket would open it) and, for the authenticated services, its caller, from <c>X-Good-GD-AuthToken</c>
/// checked exactly as Connect checks <c>gdAuthToken</c> (open mode: the token names the user; strict mode: only the
/// configured tokens).
/// </summary>
internal sealed class ServiceGate(TenantRegistry tenants, Authenticator authenticator)
{
    private const string TenantItem = "bems.services.tenant";

    /// <summary>
    /// Resolves the tenant the request's path names, once per request (the services' endpoint filter calls it first, so
    /// a tenant that cannot exist is refused there), and keeps it for <see cref="TenantOf(HttpContext)"/>.
    /// </summary>
    public Tenant Resolve(HttpContext context)
    {
        var tenant = TenantOf(ServiceEndpoints.TenantName(context));
        context.Items[TenantItem] = tenant;
        return tenant;
    }

    /// <summary>The tenant <see cref="Resolve"/> found for this request.</summary>
    public static Tenant TenantOf(HttpContext context) =>
        context.Items[TenantItem] as Tenant ?? throw new InvalidOperationException("The services' endpoint filter resolves the tenant first.");

    /// <summary>The request's tenant and the user its auth token names; 401 without a good token.</summary>
    public (Tenant Tenant, DirectoryUser Caller) CallerOf(HttpContext context, string service)
    {
        var tenant = TenantOf(context);
        return (tenant, CallerOf(context, tenant, service));
    }

    private Tenant TenantOf(string? name)
    {
        if (name is null) return tenants.Default;
        var refusal = tenants.CheckClientName(name);
        Tenant? tenant = null;
        if (refusal == TenantRefusal.None) refusal = tenants.TryGetOrCreate(name, out tenant);
        return refusal == TenantRefusal.None ? tenant! : throw new ServiceProblem(WebSocketEndpoint.StatusOf(refusal), tenants.Describe(refusal, name));
    }

    /// <summary>The user the request's auth token names (joining the directory, as a Connect sign-in does); 401 without a good token.</summary>
    public DirectoryUser CallerOf(HttpContext context, Tenant tenant, string service)
    {
        var token = context.Request.Headers[ServiceHeaders.AuthToken].ToString();
        if (string.IsNullOrWhiteSpace(token))
            throw new ServiceProblem(StatusCodes.Status401Unauthorized, $"The request lacks the {ServiceHeaders.AuthToken} header.");
        var user = tenant.Directory.GetOrAdd(UserOf(token, service));
        context.Items[ServiceJournal.CallerItem] = user.Key; // the journal names the caller
        return user;
    }

    /// <summary>The user key a token stands for; 401 when Connect would refuse the token.</summary>
    public string UserOf(string token, string service)
    {
        try
        {
            return authenticator.Verify(token, claimedUser: null, service);
        }
        catch (BemsRpcException ex)
        {
            throw new ServiceProblem(StatusCodes.Status401Unauthorized, $"{ServiceHeaders.AuthToken}: {ex.Message}");
        }
    }

    /// <summary>The caller acts only as the user its token names: an <c>Account</c> naming anyone else is refused (403).</summary>
    public static void CheckAccount(DirectoryUser caller, string account)
    {
        if (!ContactAddress.TryNormalize(account, out var key))
            throw ServiceProblem.BadRequest($"'Account' ('{account}') is not an address such as alice@example.com.");
        if (key != caller.Key)
            throw new ServiceProblem(StatusCodes.Status403Forbidden,
                $"'Account' names {key}, but the {ServiceHeaders.AuthToken} stands for {caller.Key}: a caller acts only as its own user.");
    }
}
