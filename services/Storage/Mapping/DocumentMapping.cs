using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Bson.Serialization.Conventions;
using MongoDB.Bson.Serialization.Serializers;

namespace DealRisk.Storage;

/// <summary>
/// The one BSON mapping both adapters share. BSON registrations are process-wide,
/// so this registers them once and refuses to run beside a conflicting registration.
/// </summary>
public static class DocumentMapping
{
    public const string DateOnlyFormat = "yyyy-MM-dd";

    private static readonly Lazy<bool> Registration = new(RegisterOnce, LazyThreadSafetyMode.ExecutionAndPublication);

    public static void Register() => _ = Registration.Value;

    private static bool RegisterOnce()
    {
        var conventions = new ConventionPack
        {
            new CamelCaseElementNameConvention(),
            new IgnoreExtraElementsConvention(true),
            new EnumRepresentationConvention(BsonType.String, topLevelOnly: false),
            new StoreOwnsIdConvention(),
        };
        ConventionRegistry.Register("DealRisk.Storage", conventions, _ => true);

        RegisterSerializer(new GuidSerializer(GuidRepresentation.Standard));
        RegisterSerializer(new DecimalSerializer(BsonType.Decimal128));
        RegisterSerializer(new DateTimeOffsetSerializer(BsonType.DateTime));
        RegisterSerializer(new DateOnlySerializer(BsonType.String));
        return true;
    }

    private static void RegisterSerializer<TValue>(IBsonSerializer<TValue> serializer)
    {
        if (BsonSerializer.TryRegisterSerializer(serializer))
            return;
        var existing = BsonSerializer.LookupSerializer<TValue>();
        if (!existing.Equals(serializer))
            throw new InvalidOperationException(
                $"A different BSON serializer for {typeof(TValue).Name} ({existing.GetType().Name}) was registered before DealRisk.Storage; both adapters rely on theirs.");
    }
}
