using InProc.Recurring;
using Npgsql;

namespace InProc.PostgreSql.Store;

/// <summary>Recurring slots shared by every host: a slot is claimed by one conditional upsert, so each (name, slot) runs once across hosts.</summary>
internal sealed class PgRecurringState(NpgsqlDataSource source, PgSql sql) : IRecurringStateStore
{
    public async ValueTask<DateTimeOffset?> GetLastSlotAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var command = PgCommands.Command(source, sql.LastSlot, name);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;
    }

    public async ValueTask<bool> TryClaimSlotAsync(string name, DateTimeOffset slot, CancellationToken cancellationToken = default)
    {
        await using var command = PgCommands.Command(source, sql.ClaimSlot, name, slot.UtcTicks);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }
}
