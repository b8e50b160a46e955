using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Portal.Bench.Api;

/// <summary>
/// Bulk-loads runs and their metric points into a database the app has already migrated: prepared INSERTs, rows in
/// the order the indexes want (version-7 ids and submission times ascending, metrics run by run), large transactions.
/// </summary>
internal static class Seeder
{
    public static readonly string[] Trainers = ["LightGbm", "FastTree", "FastForest", "SdcaLogisticRegression", "LbfgsLogisticRegression"];
    public static readonly string[] MetricKeys = ["train/loss", "validation/loss", "Accuracy", "AreaUnderRocCurve"];
    private const int MetricRowsPerTransaction = 1_000_000;

    public static async Task<(TimeSpan Elapsed, List<Guid> ExperimentIds)> SeedAsync(string databasePath, BenchOptions options, string userId, string userName)
    {
        var clock = Stopwatch.StartNew();
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await ExecAsync(connection, "PRAGMA synchronous=OFF; PRAGMA cache_size=-262144; PRAGMA temp_store=MEMORY;");

        var random = new Random(42);
        var start = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var experimentIds = new List<Guid>();
        var transaction = connection.BeginTransaction();
        await using (var experiment = connection.CreateCommand())
        {
            experiment.Transaction = transaction;
            experiment.CommandText = "INSERT INTO Experiments (Id, Name, Description, OwnerId, CreatedUtc) VALUES ($id, $name, '', $owner, $created)";
            var (id, name, owner, created) = (experiment.Parameters.Add("$id", SqliteType.Text), experiment.Parameters.Add("$name", SqliteType.Text),
                experiment.Parameters.Add("$owner", SqliteType.Text), experiment.Parameters.Add("$created", SqliteType.Text));
            experiment.Prepare();
            for (var e = 0; e < options.Experiments; e++)
            {
                var experimentId = System.Guid.CreateVersion7(start.AddMinutes(e));
                experimentIds.Add(experimentId);
                (id.Value, name.Value, owner.Value, created.Value) = (SqliteRows.Guid(experimentId), $"bench-experiment-{e}", userId, SqliteRows.DateTime(start.AddMinutes(e)));
                await experiment.ExecuteNonQueryAsync();
            }
        }

        await using var run = connection.CreateCommand();
        run.CommandText = """
            INSERT INTO Runs (Id, ExperimentId, Mode, Task, Trainer, LabelColumn, HyperparametersJson, ValidationFraction, Seed, Status,
                SubmittedBy, SubmittedByName, SubmittedUtc, StartedUtc, FinishedUtc, FailureReason, Attempt, MaxAttempts, Progress,
                ProgressStage, CancelRequested, LibraryVersion, PrimaryMetric, PrimaryMetricValue)
            VALUES ($id, $experiment, 'Managed', 'Binary', $trainer, 'label', '{}', 0.2, 42, $status,
                $by, $byName, $submitted, $started, $finished, $reason, 1, 3, $progress,
                $stage, 0, '5.0.1', $metric, $metricValue)
            """;
        string[] names = ["$id", "$experiment", "$trainer", "$status", "$by", "$byName", "$submitted", "$started", "$finished", "$reason", "$progress", "$stage", "$metric", "$metricValue"];
        var p = names.ToDictionary(n => n, n => run.Parameters.Add(n, n is "$progress" or "$metricValue" ? SqliteType.Real : SqliteType.Text));
        run.Transaction = transaction;
        run.Prepare();

        await using var metric = connection.CreateCommand();
        metric.CommandText = "INSERT INTO RunMetrics (RunId, Key, Value, Step, TimestampUtc) VALUES ($run, $key, $value, $step, $ts)";
        var (mRun, mKey, mValue, mStep, mTs) = (metric.Parameters.Add("$run", SqliteType.Text), metric.Parameters.Add("$key", SqliteType.Text),
            metric.Parameters.Add("$value", SqliteType.Real), metric.Parameters.Add("$step", SqliteType.Integer), metric.Parameters.Add("$ts", SqliteType.Text));
        metric.Transaction = transaction;
        metric.Prepare();

        var steps = Math.Max(1, options.MetricsPerRun / MetricKeys.Length);
        long metricRows = 0;
        for (var i = 0; i < options.Runs; i++)
        {
            var submitted = start.AddSeconds(60 + (i * 30L));
            var runId = System.Guid.CreateVersion7(submitted);
            var roll = random.NextDouble();
            var status = roll switch { < 0.60 => "Succeeded", < 0.75 => "Failed", < 0.80 => "Cancelled", < 0.90 => "Running", _ => "Queued" };
            var trainer = Trainers[random.Next(Trainers.Length)];
            var finished = status is "Succeeded" or "Failed" or "Cancelled";
            var auc = 0.6 + (random.NextDouble() * 0.39);
            p["$id"].Value = SqliteRows.Guid(runId);
            p["$experiment"].Value = SqliteRows.Guid(experimentIds[random.Next(experimentIds.Count)]);
            p["$trainer"].Value = trainer;
            p["$status"].Value = status;
            p["$by"].Value = userId;
            p["$byName"].Value = userName;
            p["$submitted"].Value = SqliteRows.DateTime(submitted);
            p["$started"].Value = status == "Queued" ? DBNull.Value : SqliteRows.DateTime(submitted.AddSeconds(5));
            p["$finished"].Value = finished ? SqliteRows.DateTime(submitted.AddSeconds(5 + random.Next(20, 600))) : DBNull.Value;
            p["$reason"].Value = status == "Failed" ? "Bench: generated failure." : DBNull.Value;
            p["$progress"].Value = finished ? 1.0 : status == "Running" ? 0.5 : 0.0;
            p["$stage"].Value = finished ? "done" : status == "Running" ? "fitting" : DBNull.Value;
            p["$metric"].Value = status == "Succeeded" ? "AreaUnderRocCurve" : DBNull.Value;
            p["$metricValue"].Value = status == "Succeeded" ? auc : DBNull.Value;
            run.ExecuteNonQuery();

            // Every run gets its points (queued ones too) so the table holds exactly runs x metrics-per-run rows.
            mRun.Value = SqliteRows.Guid(runId);
            for (var k = 0; k < MetricKeys.Length; k++)
            {
                mKey.Value = MetricKeys[k];
                for (var s = 0; s < steps; s++)
                {
                    var t = (s + 1.0) / steps;
                    mValue.Value = k switch { 0 => 0.7 * Math.Exp(-3 * t), 1 => 0.75 * Math.Exp(-2.5 * t), 2 => 0.5 + (0.4 * t), _ => auc * t };
                    mStep.Value = s;
                    mTs.Value = SqliteRows.DateTime(submitted.AddSeconds(5 + s));
                    metric.ExecuteNonQuery();
                    if (++metricRows % MetricRowsPerTransaction == 0)
                    {
                        await transaction.CommitAsync();
                        await transaction.DisposeAsync();
                        transaction = connection.BeginTransaction();
                        (run.Transaction, metric.Transaction) = (transaction, transaction);
                    }
                }
            }
        }

        await transaction.CommitAsync();
        await transaction.DisposeAsync();
        await ExecAsync(connection, "PRAGMA wal_checkpoint(TRUNCATE);");
        Console.WriteLine($"  seeded {options.Runs:N0} runs, {metricRows:N0} metric rows in {clock.Elapsed.TotalSeconds:F1} s");
        return (clock.Elapsed, experimentIds);
    }

    public static async Task<long> CountAsync(string databasePath, string table)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM \"{table}\"";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task ExecAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
