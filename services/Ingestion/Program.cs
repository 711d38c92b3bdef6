using DealRisk.Ingestion;
using DealRisk.ServiceDefaults;

HealthProbe.ExitIfRequested(args);
var builder = WebApplication.CreateBuilder(ServiceHostSettings.Web(args));
builder.AddServiceDefaults();
builder.AddIngestionService();
builder.Services.AddDealRiskBus(builder.Configuration, bus => bus.AddIngestionConsumers());

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapIngestionEndpoints();
app.Run();

namespace DealRisk.Ingestion
{
    public partial class Program;
}
