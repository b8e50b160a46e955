using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

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
