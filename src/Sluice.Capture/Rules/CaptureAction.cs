namespace Sluice.Capture.Rules;

/// <summary>What a capture rule does with a packet that matches.</summary>
public abstract record CaptureAction;

/// <summary>Continue in another chain of the same table (a logical chain name, see <see cref="CaptureChain"/>).</summary>
public sealed record JumpAction(string Chain) : CaptureAction;

/// <summary>Leave the chain: the packet is not captured by it.</summary>
public sealed record ReturnAction : CaptureAction
{
    public static ReturnAction Instance { get; } = new();
}

public sealed record AcceptAction : CaptureAction
{
    public static AcceptAction Instance { get; } = new();
}

public sealed record DropAction : CaptureAction
{
    public static DropAction Instance { get; } = new();
}

/// <summary>nat REDIRECT to a local port.</summary>
public sealed record RedirectAction(int Port) : CaptureAction;

/// <summary>TPROXY to a local port, marking the packet so policy routing delivers it locally.</summary>
public sealed record TproxyAction(int Port, uint Mark) : CaptureAction;

/// <summary>Sets the packet mark and continues.</summary>
public sealed record MarkAction(uint Mark) : CaptureAction;
