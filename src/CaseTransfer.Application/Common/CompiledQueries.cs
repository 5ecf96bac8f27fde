using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace CaseTransfer.Application.Common;

/// <summary>
/// A compiled query (<c>EF.CompileAsyncQuery</c>: translated once, so a call skips the per-query expression work and
/// cache lookup) for each EF model it runs against. EF ties a compiled query to the first model that runs it, and one
/// process may hold more than one (SQLite and PostgreSQL side by side in the tests), so each gets its own.
/// </summary>
public sealed class CompiledQuery<TQuery>(Func<TQuery> compile)
    where TQuery : class
{
    private readonly ConditionalWeakTable<IModel, TQuery> _byModel = [];

    /// <summary>The query compiled for <paramref name="db"/>'s model; call it with <c>(DbContext)db</c>.</summary>
    public TQuery For(IAppDbContext db) => _byModel.GetValue(((DbContext)db).Model, _ => compile());
}
