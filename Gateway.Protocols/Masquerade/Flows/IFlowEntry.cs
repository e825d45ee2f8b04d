namespace VpnMasq.Protocols.Masquerade.Flows;

/// <summary>A table entry a flow keeps alive: frames seen at a time move its last-seen forward, never back.</summary>
internal interface IFlowEntry
{
    void Saw(TimeSpan at);
}
