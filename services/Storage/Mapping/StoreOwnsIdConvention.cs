using MongoDB.Bson.Serialization;
using MongoDB.Bson.Serialization.Conventions;

namespace DealRisk.Storage;

/// <summary>
/// The stores keep the key in "_id" themselves, so a document's own Id property
/// stays an ordinary "id" element instead of colliding with it.
/// </summary>
internal sealed class StoreOwnsIdConvention : ConventionBase, IPostProcessingConvention
{
    public void PostProcess(BsonClassMap classMap) => classMap.SetIdMember(null);
}
