using System.Text.Json;

namespace InProc.AspNetCore.Status;

/// <summary>
/// Writes a <see cref="JobSnapshot"/> as camelCase JSON with enums as names, by hand: no reflection, so the package
/// stays trimmable. <see cref="JobSnapshot"/> reads it back with System.Text.Json's web defaults.
/// </summary>
internal static class JobSnapshotJson
{
    public static byte[] Write(JobSnapshot job)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", job.Id.ToString());
            json.WriteString("messageType", job.MessageType);
            json.WriteString("queue", job.Queue);
            json.WriteString("state", job.State.ToString());
            json.WriteNumber("attempt", job.Attempt);
            json.WriteNumber("maxAttempts", job.MaxAttempts);
            json.WriteString("enqueuedAt", job.EnqueuedAt);
            WriteTime(json, "startedAt", job.StartedAt);
            WriteTime(json, "finishedAt", job.FinishedAt);
            WriteTime(json, "nextAttemptAt", job.NextAttemptAt);
            if (job.Progress is { } progress)
            {
                json.WriteNumber("progress", progress);
            }
            else
            {
                json.WriteNull("progress");
            }

            json.WriteString("progressStatus", job.ProgressStatus);
            json.WriteString("errorType", job.ErrorType);
            json.WriteString("error", job.Error);
            json.WriteString("waitingOn", job.WaitingOn?.ToString());
            json.WriteBoolean("isFinished", job.IsFinished);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteTime(Utf8JsonWriter json, string name, DateTimeOffset? time)
    {
        if (time is { } t)
        {
            json.WriteString(name, t);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
