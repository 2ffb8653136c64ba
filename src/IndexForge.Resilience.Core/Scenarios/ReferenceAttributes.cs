using System.ComponentModel.DataAnnotations;

namespace IndexForge.Resilience.Core.Scenarios;

/// <summary>The value names a replica of the scenario's topology (e.g. us-west-2).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ReplicaReferenceAttribute : Attribute;

/// <summary>The value names a region of the scenario's topology.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class RegionReferenceAttribute : Attribute;

/// <summary>The value names a zone of the scenario's topology.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ZoneReferenceAttribute : Attribute;

/// <summary>The value names a load phase of the scenario.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PhaseReferenceAttribute : Attribute;

/// <summary>The value names a fault of the scenario (its window).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class FaultReferenceAttribute : Attribute;

/// <summary>A duration that must be greater than zero.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PositiveDurationAttribute : ValidationAttribute
{
    public PositiveDurationAttribute() : base("must be a duration greater than zero, e.g. 30s") { }
    public override bool IsValid(object? value) => value is TimeSpan t && t > TimeSpan.Zero;
}
