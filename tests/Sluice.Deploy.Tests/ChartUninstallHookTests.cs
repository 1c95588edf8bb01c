using System.Text.Json;

namespace Sluice.Deploy.Tests;

/// <summary>helm uninstall's pre-delete hook: a Job that uninstalls on every node through the agent's DaemonSet, with an account that can do only that.</summary>
public sealed class ChartUninstallHookTests
{
    private readonly RenderedChart _chart = ChartRenderer.Render();

    private JsonElement Job => _chart.Hook("Job");

    private JsonElement JobContainer => Job.GetProperty("spec").GetProperty("template").GetProperty("spec").GetProperty("containers").EnumerateArray().Single();

    [Fact]
    public void Render_Defaults_PreDeleteHookHasAccountRoleBindingThenJobAfterTheManifests()
    {
        Assert.Equal(
            [("ServiceAccount", "sluice-uninstall"), ("Role", "sluice-uninstall"), ("RoleBinding", "sluice-uninstall"), ("Job", "sluice-uninstall")],
            _chart.HookKindsAndNames);
        Assert.Equal(_chart.Manifests.Count, _chart.Documents.ToList().FindIndex(d => RenderedChart.HookOf(d) is not null));
        foreach (var hook in _chart.Hooks)
        {
            var annotations = hook.GetProperty("metadata").GetProperty("annotations");
            Assert.Equal("pre-delete", annotations.GetProperty("helm.sh/hook").GetString());
            Assert.Equal("before-hook-creation,hook-succeeded", annotations.GetProperty("helm.sh/hook-delete-policy").GetString());
            Assert.Equal(ChartRenderer.Namespace, hook.GetProperty("metadata").GetProperty("namespace").GetString());
        }

        // The account and its rights exist before the Job that uses them (lower weight first).
        Assert.Equal("0", Job.GetProperty("metadata").GetProperty("annotations").GetProperty("helm.sh/hook-weight").GetString());
        Assert.Equal("-1", _chart.Hook("Role").GetProperty("metadata").GetProperty("annotations").GetProperty("helm.sh/hook-weight").GetString());
    }

    [Fact]
    public void Render_Defaults_JobUninstallsOnEveryNodeOfTheReleasesDaemonSet()
    {
        Assert.Equal(
            ["uninstall", "--daemonset", "sluice", "--namespace", ChartRenderer.Namespace, "--timeout-seconds", "300"],
            JobContainer.GetProperty("args").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(_chart.AgentContainer.GetProperty("image").GetString(), JobContainer.GetProperty("image").GetString());
        var spec = Job.GetProperty("spec");
        Assert.Equal(360, spec.GetProperty("activeDeadlineSeconds").GetInt32());
        var pod = spec.GetProperty("template").GetProperty("spec");
        Assert.Equal("sluice-uninstall", pod.GetProperty("serviceAccountName").GetString());
        Assert.Equal("Never", pod.GetProperty("restartPolicy").GetString());
        Assert.True(pod.GetProperty("hostNetwork").GetBoolean());
        Assert.True(JobContainer.GetProperty("securityContext").GetProperty("runAsNonRoot").GetBoolean());
        Assert.False(JobContainer.GetProperty("securityContext").GetProperty("allowPrivilegeEscalation").GetBoolean());
    }

    [Fact]
    public void Render_Defaults_HookAccountMayOnlyReadAndPatchTheReleasesDaemonSet()
    {
        var rule = Assert.Single(_chart.Hook("Role").GetProperty("rules").EnumerateArray());
        Assert.Equal(["apps"], rule.GetProperty("apiGroups").EnumerateArray().Select(g => g.GetString()));
        Assert.Equal(["daemonsets"], rule.GetProperty("resources").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(["sluice"], rule.GetProperty("resourceNames").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(["get", "patch"], rule.GetProperty("verbs").EnumerateArray().Select(v => v.GetString()));
        var binding = _chart.Hook("RoleBinding");
        Assert.Equal("sluice-uninstall", binding.GetProperty("roleRef").GetProperty("name").GetString());
        Assert.Equal("sluice-uninstall", binding.GetProperty("subjects")[0].GetProperty("name").GetString());
        Assert.Equal(_chart.DaemonSet.GetProperty("metadata").GetProperty("name").GetString(), rule.GetProperty("resourceNames")[0].GetString());
    }

    [Fact]
    public void Render_Defaults_AgentKeepsItsFilesOnStopAndTheJobPatchesItsContainerByName()
    {
        Assert.Equal("true", _chart.Env["KEEP_ON_EXIT"]);
        Assert.Equal("sluice-agent", _chart.AgentContainer.GetProperty("name").GetString());
    }

    [Fact]
    public void Render_HookOffOrNoHooks_RendersNoHook()
    {
        Assert.Empty(ChartRenderer.Render(sets: ["uninstall.hook=false"]).Hooks);
        var noHooks = ChartRenderer.Run(null, [], "json", "--no-hooks");
        Assert.Equal(0, noHooks.ExitCode);
        Assert.DoesNotContain("helm.sh/hook", noHooks.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_TimeoutSeconds_BoundsTheWaitAndTheJob()
    {
        var job = ChartRenderer.Render(sets: ["uninstall.timeoutSeconds=60"]).Hook("Job");

        Assert.Equal(120, job.GetProperty("spec").GetProperty("activeDeadlineSeconds").GetInt32());
        Assert.Equal("60", job.GetProperty("spec").GetProperty("template").GetProperty("spec").GetProperty("containers")[0].GetProperty("args")[6].GetString());
    }
}
