using System.Reflection;
using System.Reflection.Emit;

namespace BemsServer.Tests.Architecture;

/// <summary>
/// The server's top-level folders (namespaces <c>BemsServer.&lt;Folder&gt;</c>) are layers: a folder uses the folders below
/// it and never one above it, except for the upward references <see cref="AllowedUpward"/> names with their reason. Read
/// from the compiled server assembly, not from the source: every type (nested and compiler-generated ones included, which
/// belong to the folder of the type that declares them) with the types its signatures, attributes and method bodies
/// (the IL's type, method and field tokens) refer to.
/// </summary>
public sealed class LayeringTests
{
    /// <summary>The layers, bottom first: each folder may use those before it.</summary>
    private static readonly string[] Layers =
    [
        "Protocol",    // the wire: frames, their serializer, request ids (with the shared BemsServer.Protocol assembly)
        "Diagnostics", // instruments and counts, the byte ring under the journal and the chat logs
        "Dispatch",    // the request kernel: effects, params, dependencies, outcomes, the handler contract, the dispatcher
        "Features",    // each tenant's services and the BEMS method handlers
        "Simulation",  // simulated users, room posters, scripted users
        "Control",     // the control plane: connection handles, fault rules, the frame journal, the injector
        "Tenancy",     // a tenant (services, simulated users, control plane) and the registry of tenants
        "Transport",   // sockets, outboxes, the connection pipeline, the in-memory engine
        "Services",    // BEMS's HTTP services beside Connect (lookup, presence, contact, GNP) and the push channel: tenants (Tenancy) and the engine in use (Transport)
        "Admin",       // the admin API
        "Dashboard",   // the web console (its advice is an admin resource too)
        "Certification", // runs that grade a client from the journal (advice rules, simulated users, faults, clock); an admin resource
        "Cluster",     // the Orleans engine, which forwards a tenant's admin requests to the node holding it
        "Hosting",     // the composition: options, engine, routes, collaborators
    ];

    /// <summary>Upward references allowed (at most two), each the one back edge of a two-folder cycle, with its reason.</summary>
    private static readonly Dictionary<(string From, string To), string> AllowedUpward = new()
    {
        [("Dispatch", "Features")] =
            "the handler contract: handlers (Features) implement IBemsMethod and take RpcCall, whose connection carries the caller's Session and its tenant's services, and the dispatcher resumes parked sessions (Reconnection)",
    };

    private static readonly Lazy<Dictionary<(string From, string To), string>> Graph = new(Build);

    [Fact]
    public void Layers_NameEveryFolderOfTheServerOnce()
    {
        var folders = ServerTypes().Select(FolderOf).OfType<string>().Distinct().Order(StringComparer.Ordinal).ToList();

        folders.Should().NotBeEmpty();
        Layers.Should().OnlyHaveUniqueItems();
        folders.Except(Layers).Should().BeEmpty("every top-level folder of the server needs a place in the layer table");
    }

    [Fact]
    public void NoFolder_UsesAFolderAboveIt_ExceptTheNamedOnes()
    {
        AllowedUpward.Should().HaveCountLessThanOrEqualTo(2);
        var upward = Graph.Value
            .Where(e => Rank(e.Key.From) < Rank(e.Key.To) && !AllowedUpward.ContainsKey(e.Key))
            .Select(e => $"{e.Key.From} → {e.Key.To} ({e.Key.From} sits below {e.Key.To}): {e.Value}")
            .Order(StringComparer.Ordinal)
            .ToList();

        upward.Should().BeEmpty("a folder uses only the folders below it in LayeringTests.Layers");
    }

    [Fact]
    public void Folders_FormNoCycle_ExceptTheNamedOnes()
    {
        var cycles = Cycles(Graph.Value.Keys)
            .Where(c => !(c.Count == 2 && AllowedUpward.Keys.Any(a => c.Contains(a.From) && c.Contains(a.To))))
            .Select(c => string.Join(" ↔ ", c) + ": " + string.Join("; ",
                Graph.Value.Where(e => c.Contains(e.Key.From) && c.Contains(e.Key.To)).Select(e => $"{e.Key.From} → {e.Key.To}: {e.Value}")))
            .ToList();

        cycles.Should().BeEmpty();
    }

    [Fact]
    public void EveryNamedCycle_IsStillThere()
    {
        foreach (var (edge, reason) in AllowedUpward)
        {
            reason.Should().NotBeNullOrWhiteSpace();
            Graph.Value.Should().ContainKey(edge, $"{edge.From} → {edge.To} is allowed as a cycle; it no longer exists: remove it from AllowedUpward");
            Graph.Value.Should().ContainKey((edge.To, edge.From), $"{edge.From} ↔ {edge.To} is named as a cycle; it is no longer one");
        }
    }

    [Fact]
    public void Reader_SeesReferencesInMethodBodies()
    {
        // Hosting's composition names the engines only inside its method bodies (registrations, lambdas).
        Graph.Value.Should().ContainKey(("Hosting", "Transport"));
        Graph.Value.Should().ContainKey(("Hosting", "Cluster"));
    }

    private static int Rank(string folder)
    {
        var rank = Array.IndexOf(Layers, folder);
        return rank >= 0 ? rank : throw new InvalidOperationException($"Folder {folder} is not in LayeringTests.Layers.");
    }

    private static Type[] ServerTypes()
    {
        var assembly = typeof(BemsServer.Tenancy.TenantRegistry).Assembly;
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException ex)
        {
            return [.. ex.Types.OfType<Type>()];
        }
    }

    /// <summary>Each folder-to-folder reference with one example (the referencing type and what it refers to).</summary>
    private static Dictionary<(string From, string To), string> Build()
    {
        var edges = new Dictionary<(string From, string To), string>();
        foreach (var type in ServerTypes())
        {
            if (FolderOf(type) is not { } from) continue;
            foreach (var (used, where) in References(type))
                foreach (var named in Expand(used))
                    if (FolderOf(named) is { } to && to != from)
                        edges.TryAdd((from, to), $"{type.FullName} ({where}) uses {named.FullName}");
        }
        return edges;
    }

    /// <summary>The folder of a server type, from its namespace (a nested type's is that of the type declaring it).</summary>
    private static string? FolderOf(Type type)
    {
        if (type.IsGenericParameter) return null;
        const string Root = "BemsServer.";
        var ns = type.Namespace ?? "";
        // Code generators (Orleans's serializers) mirror the server's namespaces under their own prefix.
        var at = ns.StartsWith(Root, StringComparison.Ordinal) ? 0 : ns.IndexOf("." + Root, StringComparison.Ordinal) is var k and >= 0 ? k + 1 : -1;
        if (at < 0) return null;
        var rest = ns[(at + Root.Length)..];
        var dot = rest.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? rest : rest[..dot];
    }

    /// <summary>A type with its element and generic argument types.</summary>
    private static IEnumerable<Type> Expand(Type? type)
    {
        if (type is null || type.IsGenericParameter) yield break;
        if (type.HasElementType)
        {
            foreach (var inner in Expand(type.GetElementType())) yield return inner;
            yield break;
        }
        yield return type;
        if (type.IsGenericType && !type.IsGenericTypeDefinition)
            foreach (var argument in type.GetGenericArguments())
                foreach (var inner in Expand(argument)) yield return inner;
    }

    private const BindingFlags Declared =
        BindingFlags.DeclaredOnly | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;

    private static IEnumerable<(Type Used, string Where)> References(Type type)
    {
        if (type.BaseType is { } baseType) yield return (baseType, "base type");
        foreach (var face in type.GetInterfaces()) yield return (face, "interface");
        foreach (var used in Attributes(type.GetCustomAttributesData)) yield return (used, "attribute");
        foreach (var field in type.GetFields(Declared))
        {
            yield return (field.FieldType, "field " + field.Name);
            foreach (var used in Attributes(field.GetCustomAttributesData)) yield return (used, "field " + field.Name);
        }
        foreach (var property in type.GetProperties(Declared))
        {
            yield return (property.PropertyType, "property " + property.Name);
            foreach (var used in Attributes(property.GetCustomAttributesData)) yield return (used, "property " + property.Name);
        }
        foreach (var e in type.GetEvents(Declared)) yield return (e.EventHandlerType!, "event " + e.Name);
        foreach (var method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        {
            var where = "method " + method.Name;
            if (method is MethodInfo info) yield return (info.ReturnType, where);
            foreach (var parameter in method.GetParameters())
            {
                yield return (parameter.ParameterType, where);
                foreach (var used in Attributes(parameter.GetCustomAttributesData)) yield return (used, where);
            }
            foreach (var used in Attributes(method.GetCustomAttributesData)) yield return (used, where);
            foreach (var used in Body(method)) yield return (used, where + " body");
        }
    }

    private static IEnumerable<Type> Attributes(Func<IList<CustomAttributeData>> read)
    {
        IList<CustomAttributeData> attributes;
        try
        {
            attributes = read();
        }
        catch (Exception ex) when (ex is TypeLoadException or FileNotFoundException)
        {
            yield break;
        }
        foreach (var attribute in attributes)
        {
            yield return attribute.AttributeType;
            foreach (var argument in attribute.ConstructorArguments.Concat(attribute.NamedArguments.Select(static n => n.TypedValue)))
                if (argument.Value is Type typeArgument) yield return typeArgument;
        }
    }

    private static readonly OpCode[] OneByte = new OpCode[0x100];
    private static readonly OpCode[] TwoByte = new OpCode[0x100];

#pragma warning disable CA1810 // The opcode tables are filled once, from OpCodes' fields.
    static LayeringTests()
#pragma warning restore CA1810
    {
        foreach (var field in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var code = (OpCode)field.GetValue(null)!;
            var value = (ushort)code.Value;
            if (value < 0x100) OneByte[value] = code;
            else if ((value & 0xFF00) == 0xFE00) TwoByte[value & 0xFF] = code;
        }
    }

    /// <summary>The types a method body refers to: its locals, and the type, method and field tokens of its IL.</summary>
    private static List<Type> Body(MethodBase method)
    {
        var found = new List<Type>();
        var body = method.GetMethodBody();
        if (body is null) return found;
        found.AddRange(body.LocalVariables.Select(static l => l.LocalType));
        foreach (var clause in body.ExceptionHandlingClauses)
            if (clause.Flags == ExceptionHandlingClauseOptions.Clause) found.Add(clause.CatchType!);
        var il = body.GetILAsByteArray() ?? [];
        var typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (var i = 0; i < il.Length;)
        {
            var code = il[i] == 0xFE ? TwoByte[il[i + 1]] : OneByte[il[i]];
            i += code.Size;
            switch (code.OperandType)
            {
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    i += 1;
                    break;
                case OperandType.InlineVar:
                    i += 2;
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    i += 8;
                    break;
                case OperandType.InlineSwitch:
                    i += 4 + (4 * BitConverter.ToInt32(il, i));
                    break;
                case OperandType.InlineType or OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineTok:
                    var member = method.Module.ResolveMember(BitConverter.ToInt32(il, i), typeArguments, methodArguments);
                    i += 4;
                    switch (member)
                    {
                        case Type type:
                            found.Add(type);
                            break;
                        case FieldInfo field:
                            found.Add(field.DeclaringType!);
                            found.Add(field.FieldType);
                            break;
                        case MethodBase called:
                            if (called.DeclaringType is { } owner) found.Add(owner);
                            if (called is MethodInfo { ReturnType: var returned }) found.Add(returned);
                            found.AddRange(called.GetParameters().Select(static p => p.ParameterType));
                            if (called.IsGenericMethod) found.AddRange(called.GetGenericArguments());
                            break;
                    }
                    break;
                default: // InlineI, InlineBrTarget, InlineString, InlineSig, ShortInlineR
                    i += 4;
                    break;
            }
        }
        return found;
    }

    /// <summary>The strongly connected components of more than one folder (Tarjan), each sorted.</summary>
    private static List<List<string>> Cycles(IEnumerable<(string From, string To)> edges)
    {
        var next = edges.GroupBy(static e => e.From).ToDictionary(static g => g.Key, static g => g.Select(static e => e.To).ToList());
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var components = new List<List<string>>();

        void Visit(string node)
        {
            index[node] = low[node] = index.Count;
            stack.Push(node);
            foreach (var to in next.GetValueOrDefault(node) ?? [])
            {
                if (!index.ContainsKey(to))
                {
                    Visit(to);
                    low[node] = Math.Min(low[node], low[to]);
                }
                else if (stack.Contains(to))
                {
                    low[node] = Math.Min(low[node], index[to]);
                }
            }
            if (low[node] != index[node]) return;
            var component = new List<string>();
            string member;
            do
            {
                member = stack.Pop();
                component.Add(member);
            } while (member != node);
            if (component.Count > 1) components.Add([.. component.Order(StringComparer.Ordinal)]);
        }

        foreach (var node in next.Keys.Order(StringComparer.Ordinal))
            if (!index.ContainsKey(node)) Visit(node);
        return components;
    }
}
