namespace Sluice.Linux.Nftables;

/// <summary>NFT_META_* keys Sluice uses.</summary>
public enum NftMetaKey : uint
{
    Length = 0,
    Protocol = 1,
    Mark = 3,
    Iif = 4,
    Oif = 5,
    IifName = 6,
    OifName = 7,
    SkUid = 10,
    SkGid = 11,
    NfProto = 15,
    L4Proto = 16,
}

/// <summary>NFT_CMP_* operators.</summary>
public enum NftCmpOp : uint
{
    Eq = 0,
    Neq = 1,
    Lt = 2,
    Lte = 3,
    Gt = 4,
    Gte = 5,
}

/// <summary>NFT_PAYLOAD_* bases.</summary>
public enum NftPayloadBase : uint
{
    LinkLayer = 0,
    Network = 1,
    Transport = 2,
}

/// <summary>NFT_CT_* keys Sluice uses.</summary>
public enum NftCtKey : uint
{
    State = 0,
    Direction = 1,
    Mark = 3,
}

/// <summary>Rule verdicts.</summary>
public enum NftVerdictKind
{
    Accept,
    Drop,
    Return,
    Jump,
    Goto,
}
