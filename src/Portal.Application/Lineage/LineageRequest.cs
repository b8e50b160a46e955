using Portal.Domain.Lineage;

namespace Portal.Application.Lineage;

/// <summary>
/// A lineage question: the graph around <see cref="Node"/>, <see cref="Depth"/> edges away in <see cref="Direction"/>, at most
/// <see cref="MaxNodes"/> nodes. <see cref="Parse"/> turns the API's and the page's text into one, or says what to fix.
/// </summary>
public sealed record LineageRequest(LineageNodeRef Node, LineageDirection Direction = LineageDirection.Down, int Depth = LineageRequest.DefaultDepth,
    int MaxNodes = LineageRequest.DefaultMaxNodes)
{
    public const int MinDepth = 1;
    public const int MaxDepth = 10;
    public const int DefaultDepth = 3;
    public const int DefaultMaxNodes = 500;
    public const int MaxMaxNodes = 5000;

    /// <summary>What is wrong with this request (depth or node limit out of range); null when it may run.</summary>
    public string? Problem() =>
        Depth is < MinDepth or > MaxDepth ? $"depth is {MinDepth} to {MaxDepth} (edges away from the node); the default is {DefaultDepth}."
        : MaxNodes is < 1 or > MaxMaxNodes ? $"limit is 1 to {MaxMaxNodes} nodes; the default is {DefaultMaxNodes}."
        : null;

    /// <summary>
    /// Parses <c>node=&lt;kind&gt;:&lt;id&gt;</c>, <c>direction=up|down|both</c> (default down), <c>depth</c> (default
    /// <see cref="DefaultDepth"/>) and <c>limit</c> (default <see cref="DefaultMaxNodes"/>); Invalid with the reason otherwise.
    /// </summary>
    public static OperationResult<LineageRequest> Parse(string? node, string? direction, int? depth, int? limit = null)
    {
        if (string.IsNullOrEmpty(node))
        {
            return OperationResult<LineageRequest>.Fail(OperationStatus.Invalid,
                $"node is required: <kind>:<id>, with kind one of {string.Join(", ", LineageNames.NodeKindNames)}.");
        }

        if (!LineageNodeRef.TryParse(node, out var start, out var problem))
        {
            return OperationResult<LineageRequest>.Fail(OperationStatus.Invalid, problem);
        }

        if (!TryParseDirection(direction, out var way))
        {
            return OperationResult<LineageRequest>.Fail(OperationStatus.Invalid, "direction is up, down or both.");
        }

        var request = new LineageRequest(start, way, depth ?? DefaultDepth, limit ?? DefaultMaxNodes);
        return request.Problem() is { } invalid
            ? OperationResult<LineageRequest>.Fail(OperationStatus.Invalid, invalid)
            : OperationResult<LineageRequest>.Ok(request);
    }

    /// <summary>The wire name of a direction: up, down or both.</summary>
    public static string NameOf(LineageDirection direction) => direction switch
    {
        LineageDirection.Up => "up",
        LineageDirection.Both => "both",
        _ => "down",
    };

    private static bool TryParseDirection(string? text, out LineageDirection direction)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case null or "" or "down":
                direction = LineageDirection.Down;
                return true;
            case "up":
                direction = LineageDirection.Up;
                return true;
            case "both":
                direction = LineageDirection.Both;
                return true;
            default:
                direction = default;
                return false;
        }
    }
}
