using System.Text.Json;

namespace DealRisk.Deployment.Tests;

/// <summary>A Dockerfile read as its instructions (continuation lines joined, comments dropped).</summary>
public sealed record Dockerfile(string Path, IReadOnlyList<(string Instruction, string Arguments)> Instructions)
{
    public static Dockerfile Read(string path)
    {
        var instructions = new List<(string, string)>();
        var current = "";
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (current.Length == 0 && (line.Length == 0 || line.StartsWith('#'))) continue;
            if (line.EndsWith('\\'))
            {
                current += line[..^1] + " ";
                continue;
            }
            current += line;
            var split = current.Split(' ', 2, StringSplitOptions.TrimEntries);
            instructions.Add((split[0].ToUpperInvariant(), split.Length > 1 ? split[1] : ""));
            current = "";
        }
        return new Dockerfile(path, instructions);
    }

    public IEnumerable<string> All(string instruction) =>
        Instructions.Where(i => i.Instruction == instruction).Select(i => i.Arguments);

    /// <summary>The instructions of the last stage: what the image runs.</summary>
    public IReadOnlyList<(string Instruction, string Arguments)> FinalStage =>
        Instructions.Skip(Instructions.ToList().FindLastIndex(i => i.Instruction == "FROM")).ToList();

    /// <summary>Sources of COPY instructions that take files from the build context (not from another stage).</summary>
    public IEnumerable<string> ContextSources =>
        All("COPY")
            .Select(arguments => arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(words => !words.Any(w => w.StartsWith("--from=", StringComparison.Ordinal)))
            .SelectMany(words => words.Where(w => !w.StartsWith("--", StringComparison.Ordinal)).SkipLast(1));

    /// <summary>The paths the image declares as volumes (VOLUME in JSON or plain form): the only ones meant to be written.</summary>
    public IReadOnlyList<string> Volumes =>
        FinalStage.Where(i => i.Instruction == "VOLUME")
            .SelectMany(i => i.Arguments.StartsWith('[') ? JsonSerializer.Deserialize<string[]>(i.Arguments) ?? [] : i.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToList();

    /// <summary>The ENTRYPOINT in exec form.</summary>
    public IReadOnlyList<string> Entrypoint =>
        FinalStage.LastOrDefault(i => i.Instruction == "ENTRYPOINT").Arguments is { Length: > 0 } json
            ? JsonSerializer.Deserialize<string[]>(json) ?? []
            : [];
}
