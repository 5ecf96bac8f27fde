using CaseTransfer.Domain.Cases;
using CaseTransfer.Domain.Identifiers;
using FluentValidation;

namespace CaseTransfer.Application.Cases;

/// <summary>Shape rules for the identifiers and names that several messages carry, written once.</summary>
public static partial class CaseValidation
{
    public const int NameMaxLength = 100;

    public static IRuleBuilderOptions<T, string?> MustBeCrn<T>(this IRuleBuilder<T, string?> rule) =>
        rule.NotEmpty().WithMessage("is required")
            .Must(Crn.IsValid).WithMessage($"must match {Crn.Pattern}");

    public static IRuleBuilderOptions<T, string?> MustBeName<T>(this IRuleBuilder<T, string?> rule) =>
        rule.MaximumLength(NameMaxLength).WithMessage($"must be at most {NameMaxLength} characters")
            .Must(v => string.IsNullOrEmpty(v) || NamePattern().IsMatch(v)).WithMessage("must be letters, spaces, hyphens or apostrophes");

    public static IRuleBuilderOptions<T, string?> MustBeOptionalPnc<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(v => v is null || PncId.IsValid(v)).WithMessage($"must be a PNC ID {PncId.Format} with a valid check letter");

    public static IRuleBuilderOptions<T, string?> MustBeOptionalNoms<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(v => v is null || NomsNumber.IsValid(v)).WithMessage($"must match {NomsNumber.Pattern}");

    public static IRuleBuilderOptions<T, string?> MustBeOptionalTier<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(RiskFacts.IsValidTier).WithMessage($"must match {RiskFacts.TierPattern}");

    public static IRuleBuilderOptions<T, TProperty?> Required<T, TProperty>(this IRuleBuilder<T, TProperty?> rule) =>
        rule.NotNull().WithMessage("is required");

    [System.Text.RegularExpressions.GeneratedRegex(@"^[\p{L}][\p{L}\p{M}' \-\.]*$")]
    private static partial System.Text.RegularExpressions.Regex NamePattern();
}
