using SharpFuzz;
using VpnMasq.Fuzz;
using VpnMasq.Fuzz.Seeds;

// Three verbs, positional on purpose: scripts/fuzz.sh is the only caller.
//   list                      names of every target, one a line
//   run TARGET                under afl-fuzz: the persistent fork server; without afl-fuzz: one input from stdin (to reproduce a crash)
//   seeds OUTDIR SOURCE...    cut per-target seed inputs from every frame of the captures in SOURCE (files or directories)
switch (args)
{
    case ["list"]:
        foreach (var target in TargetCatalog.All)
            Console.WriteLine(target.Name);
        return 0;

    case ["run", var name] when TargetCatalog.Find(name) is { } target:
        var buffer = new MemoryStream();
        Fuzzer.Run(stream =>
        {
            buffer.SetLength(0);
            stream.CopyTo(buffer);
            target.Run(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        });
        return 0;

    case ["seeds", var output, .. var sources] when sources.Length > 0:
        return SeedExtractor.Extract(output, sources, Console.Out);

    default:
        Console.Error.WriteLine("usage: Gateway.Fuzz list | run TARGET | seeds OUTDIR SOURCE...");
        Console.Error.WriteLine("targets: " + string.Join(' ', TargetCatalog.All.Select(t => t.Name)));
        return 2;
}
