return Sluice.Redirect.RedirectPlugin.Main(args);
