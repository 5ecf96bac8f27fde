using System.Linq.Expressions;
using System.Reflection;

namespace CaseTransfer.Application.Common;

/// <summary>
/// Query pieces written once as lambdas and used both in ordinary LINQ queries (<see cref="Bind{T1, T2, T3, T4}"/>)
/// and inside compiled queries (<see cref="Expand{TDelegate}"/>), so a compiled query cannot drift from the rule it
/// shares with the rest of the service (who sees a case, which assessment is current...).
/// </summary>
public static class QueryParts
{
    /// <summary>
    /// The predicate <paramref name="part"/> for one item, its other parameters bound to these values: the context as
    /// itself (EF reads <c>db.Set&lt;T&gt;()</c> off it as a query root) and the rest as query parameters, not constants.
    /// </summary>
    public static Expression<Func<T2, bool>> Bind<T1, T2, T3, T4>(Expression<Func<T1, T2, T3, T4, bool>> part, T1 db, T3 third, T4 fourth) =>
        BindAround<T1, T2>(part, db, Captured(third), Captured(fourth));

    /// <summary>As above, for a part with one more parameter.</summary>
    public static Expression<Func<T2, bool>> Bind<T1, T2, T3, T4, T5>(Expression<Func<T1, T2, T3, T4, T5, bool>> part, T1 db, T3 third, T4 fourth, T5 fifth) =>
        BindAround<T1, T2>(part, db, Captured(third), Captured(fourth), Captured(fifth));

    // The part's first parameter is the context, its second the item; the rest take these values, in order.
    private static Expression<Func<T2, bool>> BindAround<T1, T2>(LambdaExpression part, T1 db, params Expression[] rest)
    {
        var map = new Dictionary<ParameterExpression, Expression> { [part.Parameters[0]] = Expression.Constant(db, typeof(T1)) };
        for (var i = 0; i < rest.Length; i++)
        {
            map[part.Parameters[i + 2]] = rest[i];
        }

        return Expression.Lambda<Func<T2, bool>>(new Substitute(map).Visit(part.Body), part.Parameters[1]);
    }

    /// <summary>The predicate <paramref name="part"/> for one item, its second parameter bound to <paramref name="second"/> as a query parameter.</summary>
    public static Expression<Func<T1, bool>> Bind<T1, T2>(Expression<Func<T1, T2, bool>> part, T2 second)
    {
        var body = new Substitute(new Dictionary<ParameterExpression, Expression> { [part.Parameters[1]] = Captured(second) }).Visit(part.Body);
        return Expression.Lambda<Func<T1, bool>>(body, part.Parameters[0]);
    }

    /// <summary>
    /// <paramref name="query"/> with every call to a marker method (one with <see cref="ExpandsToAttribute"/>) replaced
    /// by the lambda it names, its parameters bound to the call's arguments.
    /// </summary>
    public static Expression<TDelegate> Expand<TDelegate>(Expression<TDelegate> query) => (Expression<TDelegate>)new Expander().Visit(query);

    // A value as EF sees a captured local: a field of a closure object, so it becomes a parameter of the query.
    private static MemberExpression Captured<T>(T value) => Expression.Field(Expression.Constant(new Box<T>(value)), nameof(Box<T>.Value));

    private sealed class Box<T>(T value)
    {
        public readonly T Value = value;
    }

    private sealed class Substitute(IReadOnlyDictionary<ParameterExpression, Expression> map) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => map.TryGetValue(node, out var to) ? to : node;
    }

    private sealed class Expander : ExpressionVisitor
    {
        protected override Expression VisitMethodCall(MethodCallExpression node)
        {
            if (node.Method.GetCustomAttribute<ExpandsToAttribute>() is not { } expands)
            {
                return base.VisitMethodCall(node);
            }

            var field = node.Method.DeclaringType!.GetField(expands.Field, BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)
                ?? throw new InvalidOperationException($"{node.Method.DeclaringType.Name}.{expands.Field} not found");
            var part = (LambdaExpression)field.GetValue(null)!;
            var map = new Dictionary<ParameterExpression, Expression>();
            for (var i = 0; i < part.Parameters.Count; i++)
            {
                map[part.Parameters[i]] = Visit(node.Arguments[i]);
            }

            // The part may itself use markers.
            return Visit(new Substitute(map).Visit(part.Body));
        }
    }
}

/// <summary>Marks a method that stands for a lambda (a static field of its class) inside a query given to <see cref="QueryParts.Expand{TDelegate}"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ExpandsToAttribute(string field) : Attribute
{
    public string Field { get; } = field;
}
