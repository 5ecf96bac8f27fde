using System.Reflection;
using System.Text.Json.Serialization;
using CaseTransfer.Application.Cases;
using CaseTransfer.Application.Common;
using CaseTransfer.Domain.Cases;
using CaseTransfer.Infrastructure.Persistence;
using FluentValidation;
using NetArchTest.Rules;

namespace CaseTransfer.Api.Tests.Contract;

/// <summary>
/// The layering the solution is built on (Domain ← Application ← Infrastructure ← Api), and the conventions the
/// mediator pipeline relies on: authorisation and validation run only for what a message declares.
/// </summary>
public sealed class ArchitectureTests
{
    private static readonly Assembly Domain = typeof(Case).Assembly;
    private static readonly Assembly Application = typeof(CreateCase).Assembly;
    private static readonly Assembly Infrastructure = typeof(CaseTransferDbContext).Assembly;

    private const string ApplicationNamespace = "CaseTransfer.Application";
    private const string InfrastructureNamespace = "CaseTransfer.Infrastructure";
    private const string ApiNamespace = "CaseTransfer.Api";

    [Fact]
    public void Domain_depends_on_no_other_layer_nor_on_EF_Core_or_ASP_NET_Core() =>
        AssertNoDependency(Domain, ApplicationNamespace, InfrastructureNamespace, ApiNamespace, "Microsoft.EntityFrameworkCore", "Microsoft.AspNetCore");

    [Fact]
    public void Application_does_not_depend_on_Infrastructure_or_Api() =>
        AssertNoDependency(Application, InfrastructureNamespace, ApiNamespace);

    [Fact]
    public void Infrastructure_does_not_depend_on_Api() =>
        AssertNoDependency(Infrastructure, ApiNamespace);

    /// <summary>The authorisation behaviour refuses a message with no roles; the audit needs the CRN of every case command.</summary>
    [Fact]
    public void Every_command_and_query_declares_who_may_send_it()
    {
        var messages = Messages();
        Assert.NotEmpty(messages);

        var problems = new List<string>();
        foreach (var message in messages)
        {
            if (message.GetCustomAttribute<AuthoriseAttribute>() is not { Roles.Count: > 0 })
            {
                problems.Add($"{message.FullName} has no [Authorise(...)] naming the roles that may send it");
            }

            if (typeof(Mediator.IBaseCommand).IsAssignableFrom(message)
                && message.GetProperty("Crn", BindingFlags.Public | BindingFlags.Instance) is not null
                && !typeof(ICaseMessage).IsAssignableFrom(message))
            {
                problems.Add($"{message.FullName} is a command that carries a CRN but does not implement ICaseMessage");
            }
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    /// <summary>
    /// The validation behaviour runs whatever validators exist, so a message with input and no validator reaches its
    /// handler unchecked. A message with no input (ListOrganisations) needs none.
    /// </summary>
    [Fact]
    public void Every_message_has_one_validator_or_needs_none()
    {
        var validators = Application.GetTypes()
            .Where(t => t is { IsAbstract: false, IsInterface: false })
            .SelectMany(t => t.GetInterfaces()
                .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IValidator<>))
                .Select(i => (Message: i.GetGenericArguments()[0], Validator: t)))
            .ToLookup(v => v.Message, v => v.Validator);

        var problems = new List<string>();
        foreach (var message in Messages())
        {
            var found = validators[message].ToList();
            if (found.Count == 0 && InputFields(message).Length > 0)
            {
                problems.Add($"{message.FullName} has input ({string.Join(", ", InputFields(message))}) but no IValidator<{message.Name}>");
            }
            else if (found.Count > 1)
            {
                problems.Add($"{message.FullName} has {found.Count} validators: {string.Join(", ", found.Select(v => v.Name))}");
            }
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    private static List<Type> Messages() =>
        [.. Application.GetTypes()
            .Where(t => t is { IsAbstract: false, IsInterface: false } && typeof(Mediator.IMessage).IsAssignableFrom(t))
            .OrderBy(t => t.FullName, StringComparer.Ordinal)];

    /// <summary>What a sender fills in: settable (positional or init) properties, not computed ones such as the audit summary.</summary>
    private static string[] InputFields(Type message) =>
        [.. message.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is not null && p.GetCustomAttribute<JsonIgnoreAttribute>() is null)
            .Select(p => p.Name)];

    private static void AssertNoDependency(Assembly assembly, params string[] forbidden)
    {
        var result = Types.InAssembly(assembly).ShouldNot().HaveDependencyOnAny(forbidden).GetResult();
        Assert.True(result.IsSuccessful,
            $"{assembly.GetName().Name} must not depend on {string.Join(", ", forbidden)}; these types do:\n  " +
            string.Join("\n  ", result.FailingTypeNames ?? []));
    }
}
