using DealRisk.Scoring;
using DealRisk.ServiceDefaults;

HealthProbe.ExitIfRequested(args);
var builder = WebApplication.CreateBuilder(ServiceHostSettings.Web(args));
builder.AddServiceDefaults();
builder.AddScoringService();
builder.Services.AddDealRiskBus(builder.Configuration, bus => bus.AddScoringConsumers());

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();

namespace DealRisk.Scoring
{
    public partial class Program;
}
