using DealRisk.Features;
using DealRisk.ServiceDefaults;

HealthProbe.ExitIfRequested(args);
var builder = WebApplication.CreateBuilder(ServiceHostSettings.Web(args));
builder.AddServiceDefaults();
builder.AddFeaturesService();
builder.Services.AddDealRiskBus(builder.Configuration, bus => bus.AddFeaturesConsumers());

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();

namespace DealRisk.Features
{
    public partial class Program;
}
