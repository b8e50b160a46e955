using Portal.Domain.Security;
using Portal.Web.Components.Layout;
using Portal.Web.Features.Audit;
using Portal.Web.Features.Datasets;
using Portal.Web.Features.Experiments;
using Portal.Web.Features.Registry;
using Portal.Web.Features.Runs.Queries;
using Portal.Web.Features.Runs.Submission;
using Portal.Web.Features.Tokens;
using Portal.Web.Features.Users;

namespace Portal.Web.Features.Home;

/// <summary>
/// What Portal is for, per role, on the home page: what the role does here today, what is still to come, and links
/// to the pages it can open. A link's address and policy come from its page, so it can never offer a refused page.
/// </summary>
public sealed record RoleIntroduction(string Role, string Purpose, string? Coming, IReadOnlyList<NavigationItem> Links)
{
    public static readonly IReadOnlyList<RoleIntroduction> All =
    [
        new(Roles.DataScientist,
            "Upload data, train models on it and compare the runs: datasets are versioned and profiled, runs draw their learning curves live.",
            null,
            [Link("Upload a dataset", typeof(DatasetsPage)), Link("Start a training run", typeof(NewRunPage)), Link("Compare runs", typeof(RunsPage)),
             Link("Experiments", typeof(ExperimentsPage))]),
        new(Roles.BusinessManager,
            "Decide which models go into use: your inbox lists the promotion requests waiting for you, each with evidence you can read. Read what the data scientists are doing too: experiments, runs and metrics.",
            null,
            [Link("Inbox: promotions to decide", typeof(PromotionsPage)), Link("Registered models", typeof(ModelsPage)), Link("Experiments", typeof(ExperimentsPage)),
             Link("Runs", typeof(RunsPage))]),
        new(Roles.DataProtectionOfficer,
            "Watch personal data: datasets show which columns look like personal data, you classify each column (personal, special category, "
            + "sensitive for fairness checks) or confirm the suggestions at once, and the audit trail records who did what.",
            "Following a column into the models trained on it arrives with the lineage workspace.",
            [Link("Datasets to classify", typeof(DatasetsPage)), Link("Audit trail", typeof(AuditPage))]),
        new(Roles.Administrator,
            "Keep access in order: users and their roles, API tokens, and the audit trail of every change.",
            null,
            [Link("Users and roles", typeof(UsersPage)), Link("API tokens", typeof(TokensPage)), Link("Audit trail", typeof(AuditPage))]),
    ];

    /// <summary>The introductions of the roles a user holds, with only the links those roles may open.</summary>
    public static IReadOnlyList<RoleIntroduction> For(IReadOnlyCollection<string> roles) =>
        [.. All.Where(i => roles.Contains(i.Role)).Select(i => i with { Links = [.. i.Links.Where(l => l.IsVisibleTo(roles))] })];

    private static NavigationItem Link(string title, Type page) => new(title, "", page);
}
