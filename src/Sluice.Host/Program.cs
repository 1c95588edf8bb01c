using Sluice.Host;

return Multicall.Run(Environment.GetCommandLineArgs());
