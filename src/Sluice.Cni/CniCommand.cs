namespace Sluice.Cni;

public enum CniCommand
{
    Add,
    Del,
    Check,
    Status,
    Gc,
    Version,
}
