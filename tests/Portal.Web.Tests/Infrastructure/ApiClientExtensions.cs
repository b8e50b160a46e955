using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Portal.Ml.DemoData;

namespace Portal.Web.Tests.Infrastructure;

public static class ApiClientExtensions
{
    public static Task<HttpResponseMessage> UploadCsvAsync(this HttpClient client, string name, string csv, string fileName = "data.csv") =>
        client.UploadAsync(name, Encoding.UTF8.GetBytes(csv), fileName);

    public static async Task<HttpResponseMessage> UploadAsync(this HttpClient client, string? name, byte[] content, string fileName = "data.csv")
    {
        using var form = new MultipartFormDataContent();
        if (name is not null)
        {
            form.Add(new StringContent(name), "name");
        }

        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", fileName);
        return await client.PostAsync("/api/datasets", form);
    }

    /// <summary>Uploads a CSV of the demo loan-default generator; returns the dataset's id and version (an existing one for content seen before).</summary>
    public static async Task<(Guid Id, int Version)> UploadLoansAsync(this HttpClient client, string name, int rows, int seed)
    {
        using var csv = new MemoryStream();
        new LoanDefaultGenerator(seed).Write(csv, rows);
        var response = await client.UploadAsync(name, csv.ToArray());
        // 201 for a new version, 200 when the same content was uploaded before (its existing version).
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, $"upload answered {(int)response.StatusCode}");
        var body = await response.JsonAsync();
        return (body.GetProperty("datasetId").GetGuid(), body.GetProperty("version").GetInt32());
    }

    /// <summary>Submits a managed binary run on the loan label of <paramref name="dataset"/>; returns its id once accepted.</summary>
    public static async Task<Guid> SubmitLoanRunAsync(this HttpClient client, (Guid Id, int Version) dataset, string experiment, string trainer, object? hyperparameters = null)
    {
        var response = await client.PostAsJsonAsync("/api/runs", new
        {
            experiment,
            datasetId = dataset.Id,
            datasetVersion = dataset.Version,
            labelColumn = LoanDefaultGenerator.Label,
            task = "binary",
            trainer,
            hyperparameters = hyperparameters ?? new { },
            validationFraction = 0.2,
            seed = 3,
        });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("runId").GetGuid();
    }

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();

    /// <summary>Polls a run until it reaches a terminal status (or fails the test after <paramref name="timeout"/>).</summary>
    public static async Task<JsonElement> WaitForRunAsync(this HttpClient client, Guid runId, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var run = await client.GetFromJsonAsync<JsonElement>($"/api/runs/{runId}");
            var status = run.GetProperty("status").GetString();
            if (status is "Succeeded" or "Failed" or "Cancelled")
            {
                return run;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Run {runId} still {status} after {timeout}.");
            }

            await Task.Delay(250);
        }
    }
}
