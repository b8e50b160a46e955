using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using Portal.Application.Lineage;
using Portal.Domain.Lineage;

namespace Portal.Web.Features.Lineage;

/// <summary>
/// The lineage page: a node (from the query string or typed), a direction and a depth; the graph drawn by cytoscape with the
/// dagre layout (wwwroot-assets/js/lineage-graph.js, loaded as a module and disposed with the page), a details panel for the
/// clicked node and a table of the same nodes and edges.
/// </summary>
public sealed partial class LineagePage
{
    private const string ModulePath = "./assets/js/lineage-graph.js";

    private readonly CancellationTokenSource disposed = new();
    private readonly LineageForm form = new();
    private IJSObjectReference? module;
    private DotNetObjectReference<LineagePage>? self;
    private ElementReference canvas;
    private LineageGraph? graph;
    private LineageGraphNode? selected;
    private string? problem;
    private int tab;
    private bool drawPending;

    [Inject]
    private LineageQuery Query { get; set; } = null!;

    [Inject]
    private IJSRuntime JS { get; set; } = null!;

    [Inject]
    private NavigationManager Navigation { get; set; } = null!;

    [SupplyParameterFromQuery(Name = "node")]
    public string? Node { get; set; }

    [SupplyParameterFromQuery(Name = "direction")]
    public string? Direction { get; set; }

    [SupplyParameterFromQuery(Name = "depth")]
    public int? Depth { get; set; }

    private string DirectionText => form.Direction switch
    {
        LineageDirection.Up => "upstream",
        LineageDirection.Both => "upstream or downstream",
        _ => "downstream",
    };

    protected override async Task OnParametersSetAsync()
    {
        graph = null;
        selected = null;
        problem = null;
        if (string.IsNullOrWhiteSpace(Node))
        {
            return;
        }

        var request = LineageRequest.Parse(Node, Direction, Depth);
        form.Node = Node;
        if (!request.Succeeded)
        {
            problem = request.Error;
            return;
        }

        form.Direction = request.Value!.Direction;
        form.Depth = request.Value.Depth;
        var result = await Query.GetAsync(request.Value, disposed.Token);
        if (!result.Succeeded)
        {
            problem = result.Error;
            return;
        }

        graph = result.Value;
        selected = graph!.Nodes[0];
        drawPending = true;
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!drawPending || graph is null)
        {
            return;
        }

        drawPending = false;
        module ??= await JS.InvokeAsync<IJSObjectReference>("import", disposed.Token, ModulePath);
        self ??= DotNetObjectReference.Create(this);
        await module.InvokeVoidAsync("render", disposed.Token, canvas, new
        {
            root = graph.Root.Key,
            nodes = graph.Nodes.Select(n => new { id = n.Ref.Key, kind = LineageNames.Of(n.Ref.Kind), label = n.Label, personalData = n.PersonalData, live = n.Live == true }),
            edges = graph.Edges.Select(e => new { from = e.From.Key, to = e.To.Key, kind = LineageNames.Of(e.Kind) }),
        }, self);
    }

    /// <summary>Called by the graph when a node is clicked.</summary>
    [JSInvokable]
    public Task SelectNode(string id) => InvokeAsync(() =>
    {
        selected = graph?.Nodes.FirstOrDefault(n => n.Ref.Key == id) ?? selected;
        StateHasChanged();
    });

    private async Task SelectFromTableAsync(LineageGraphNode node)
    {
        selected = node;
        tab = 0;
        if (module is not null)
        {
            await module.InvokeVoidAsync("select", disposed.Token, canvas, node.Ref.Key);
        }
    }

    private Task ShowAsync()
    {
        var uri = Navigation.GetUriWithQueryParameters("lineage", new Dictionary<string, object?>
        {
            ["node"] = form.Node?.Trim(),
            ["direction"] = LineageRequest.NameOf(form.Direction),
            ["depth"] = form.Depth,
        });
        Navigation.NavigateTo(uri);
        return Task.CompletedTask;
    }

    private async Task ZoomAsync(double factor)
    {
        if (module is not null)
        {
            await module.InvokeVoidAsync("zoom", disposed.Token, canvas, factor);
        }
    }

    private async Task FitAsync()
    {
        if (module is not null)
        {
            await module.InvokeVoidAsync("fit", disposed.Token, canvas);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await disposed.CancelAsync();
        if (module is not null)
        {
            try
            {
                await module.InvokeVoidAsync("dispose", canvas);
                await module.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
                // The circuit is gone, and the browser's page with it.
            }
        }

        self?.Dispose();
        disposed.Dispose();
    }

    private sealed class LineageForm
    {
        public string? Node { get; set; }

        public LineageDirection Direction { get; set; } = LineageDirection.Down;

        public int Depth { get; set; } = LineageRequest.DefaultDepth;
    }
}
