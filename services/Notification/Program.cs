using DealRisk.Notification;
using DealRisk.Notification.Dashboard;
using DealRisk.ServiceDefaults;

HealthProbe.ExitIfRequested(args);
var builder = WebApplication.CreateBuilder(ServiceHostSettings.Web(args));
builder.AddServiceDefaults();
builder.AddNotificationService();
builder.Services.AddDealRiskBus(builder.Configuration, bus => bus.AddNotificationConsumers());

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapDashboard();
app.Run();

namespace DealRisk.Notification
{
    public partial class Program;
}
