using DealRisk.AllInOne;

return await Commands.Build().Parse(args).InvokeAsync();
