using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace VpnMasq.Protocols.Masquerade.Firewall;

/// <summary>
/// The gateway's firewall, modelled on Linux 2.2 ipchains: chains input, forward and output, each an
/// ordered rule list plus a policy; the first matching rule decides, else the policy.
/// <para>
/// Policies not set by the rules are ACCEPT for input and output and DENY for forward, so
/// ["-P forward DENY", "-A forward -j MASQ -s 10.0.0.0/8 -d 0.0.0.0/0"] masquerades 10/8 and
/// nothing else while leaving input and output open. A rule list with no commands at all (empty,
/// or only comments and blank lines) parses to the <see cref="MasqueradeEverything"/> instance itself.
/// </para>
/// <para>
/// The gateway asks the chains in the order a Linux 2.2 masquerading router did. Outbound (inside →
/// outside): input on the inside as received, forward on the outside as received, then output on
/// the outside after masquerade (source = public address and port). Inbound (outside → inside):
/// input on the outside as received (destination = public address), then output on the inside after
/// demasquerade (destination = inside host). Inbound traffic does not cross the forward chain.
/// </para>
/// </summary>
public sealed class FirewallRules
{
    public const string DefaultInsideInterface = "eth0";

    private readonly Entry[] _input;
    private readonly Entry[] _forward;
    private readonly Entry[] _output;

    /// <exception cref="ArgumentException">A rule or policy that cannot be in its chain (MASQ outside forward, ports without tcp/udp/icmp).</exception>
    public FirewallRules(
        IEnumerable<FirewallRule> rules,
        FirewallAction inputPolicy = FirewallAction.Accept,
        FirewallAction forwardPolicy = FirewallAction.Deny,
        FirewallAction outputPolicy = FirewallAction.Accept,
        string insideInterface = DefaultInsideInterface)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(insideInterface);
        if (inputPolicy == FirewallAction.Masq || outputPolicy == FirewallAction.Masq)
            throw new ArgumentException("MASQ is only a valid policy for the forward chain.");
        Rules = [.. rules];
        foreach (var rule in Rules)
        {
            if (rule.Problem() is string problem)
                throw new ArgumentException($"{problem}: {rule}", nameof(rules));
        }

        InsideInterface = insideInterface;
        InputPolicy = inputPolicy;
        ForwardPolicy = forwardPolicy;
        OutputPolicy = outputPolicy;
        _input = Compile(FirewallChain.Input);
        _forward = Compile(FirewallChain.Forward);
        _output = Compile(FirewallChain.Output);
    }

    /// <summary>No rules, forward policy MASQ, input and output ACCEPT: what an empty rule list means.</summary>
    public static FirewallRules MasqueradeEverything { get; } =
        new([], FirewallAction.Accept, FirewallAction.Masq, FirewallAction.Accept);

    public string InsideInterface { get; }
    public FirewallAction InputPolicy { get; }
    public FirewallAction ForwardPolicy { get; }
    public FirewallAction OutputPolicy { get; }

    /// <summary>Every rule in configuration order, all chains together.</summary>
    public ImmutableArray<FirewallRule> Rules { get; }

    public FirewallAction PolicyOf(FirewallChain chain) => chain switch
    {
        FirewallChain.Input => InputPolicy,
        FirewallChain.Forward => ForwardPolicy,
        _ => OutputPolicy,
    };

    public IEnumerable<FirewallRule> RulesOf(FirewallChain chain) => EntriesOf(chain).Select(e => e.Rule);

    public FirewallAction Evaluate(FirewallChain chain, InterfaceSide side, in PacketSummary packet) =>
        Decide(chain, side, packet).Action;

    /// <summary>Runs one chain: the first rule that matches the side and the packet decides, else the policy.</summary>
    public FirewallDecision Decide(FirewallChain chain, InterfaceSide side, in PacketSummary packet)
    {
        var entries = EntriesOf(chain);
        for (int i = 0; i < entries.Length; i++)
        {
            ref readonly var entry = ref entries[i];
            if (entry.Covers(side) && entry.Rule.Matches(packet))
                return new FirewallDecision(entry.Rule.Action, chain, i + 1);
        }

        return new FirewallDecision(PolicyOf(chain), chain, 0);
    }

    /// <summary>
    /// An inside packet as received: input (inside side), then forward (outside side). Masq means
    /// masquerade it, Accept forward it unchanged, Deny and Reject drop it.
    /// </summary>
    public FirewallDecision CheckOutboundBeforeMasquerade(in PacketSummary packet)
    {
        var input = Decide(FirewallChain.Input, InterfaceSide.Inside, packet);
        return input.Passes ? Decide(FirewallChain.Forward, InterfaceSide.Outside, packet) : input;
    }

    /// <summary>An outbound packet as it will leave: output (outside side), source already the public address and port.</summary>
    public FirewallDecision CheckOutboundAfterMasquerade(in PacketSummary packet) =>
        Decide(FirewallChain.Output, InterfaceSide.Outside, packet);

    /// <summary>An internet packet as received: input (outside side), destination still the public address.</summary>
    public FirewallDecision CheckInboundBeforeDemasquerade(in PacketSummary packet) =>
        Decide(FirewallChain.Input, InterfaceSide.Outside, packet);

    /// <summary>An inbound packet as it will leave: output (inside side), destination already the inside host.</summary>
    public FirewallDecision CheckInboundAfterDemasquerade(in PacketSummary packet) =>
        Decide(FirewallChain.Output, InterfaceSide.Inside, packet);

    /// <summary>
    /// Reads rules written as ipchains or ipfwadm command lines (the leading "ipchains"/"ipfwadm" is
    /// optional); '#' starts a comment. On failure <paramref name="error"/> names the line and the token.
    /// </summary>
    public static bool TryParse(
        IEnumerable<string> lines,
        string insideInterface,
        [NotNullWhen(true)] out FirewallRules? rules,
        [NotNullWhen(false)] out string? error)
    {
        if (FirewallScript.TryRead(lines, insideInterface, out rules, out var problem))
        {
            error = null;
            return true;
        }

        error = problem.Value.Message;
        return false;
    }

    /// <exception cref="RuleParseException">A line that is not a rule this firewall understands.</exception>
    public static FirewallRules Parse(IEnumerable<string> lines, string insideInterface = DefaultInsideInterface) =>
        FirewallScript.TryRead(lines, insideInterface, out var rules, out var problem)
            ? rules
            : throw new RuleParseException(problem.Value);

    private Entry[] EntriesOf(FirewallChain chain) => chain switch
    {
        FirewallChain.Input => _input,
        FirewallChain.Forward => _forward,
        _ => _output,
    };

    private Entry[] Compile(FirewallChain chain) =>
        [.. Rules.Where(r => r.Chain == chain).Select(r => new Entry(r, SidesOf(r.Interface)))];

    /// <summary>
    /// The inside interface name is the inside; any other name the outside. A wildcard ("eth+") that
    /// covers the inside name covers both sides, since the outside name is not known here.
    /// </summary>
    private Sides SidesOf(string? name)
    {
        if (name is null)
            return Sides.Both;
        if (name.EndsWith('+'))
            return InsideInterface.StartsWith(name[..^1], StringComparison.Ordinal) ? Sides.Both : Sides.Outside;
        return string.Equals(name, InsideInterface, StringComparison.Ordinal) ? Sides.Inside : Sides.Outside;
    }

    [Flags]
    private enum Sides : byte
    {
        Inside = 1,
        Outside = 2,
        Both = Inside | Outside,
    }

    private readonly record struct Entry(FirewallRule Rule, Sides Sides)
    {
        public bool Covers(InterfaceSide side) =>
            (Sides & (side == InterfaceSide.Inside ? Sides.Inside : Sides.Outside)) != 0;
    }
}
