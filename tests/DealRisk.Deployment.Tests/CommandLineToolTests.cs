using System.Xml.Linq;

namespace DealRisk.Deployment.Tests;

public sealed class CommandLineToolTests
{
    [Fact]
    public void Make_install_packs_the_command_line_as_a_dotnet_tool_named_dealrisk_and_installs_it()
    {
        var project = XDocument.Load(Repository.PathOf("services/AllInOne/DealRisk.AllInOne.csproj"));
        string? Property(string name) => project.Descendants(name).SingleOrDefault()?.Value;

        Assert.Equal("true", Property("PackAsTool"));
        Assert.Equal("dealrisk", Property("ToolCommandName"));
        var packageId = Property("PackageId");
        Assert.False(string.IsNullOrEmpty(packageId));
        Assert.Matches(@"(?m)^install:\n\tdeploy/scripts/install-cli\.sh$", File.ReadAllText(Repository.PathOf("Makefile")));
        var script = File.ReadAllText(Repository.PathOf("deploy/scripts/install-cli.sh"));
        Assert.Contains("dotnet pack services/AllInOne", script);
        Assert.Contains($"dotnet tool install --global {packageId} --add-source", script);
    }

    [Fact]
    public void The_README_calls_the_command_line_dealrisk_rather_than_a_path_to_its_dll()
    {
        var readme = File.ReadAllText(Repository.PathOf("README.md"));

        Assert.DoesNotContain("dealrisk.dll", readme);
        Assert.Contains("`make install`", readme);
        Assert.Contains("`dealrisk import <file> --format <name>", readme);
    }
}
