using System.Xml;
using System.Xml.Linq;

namespace DealRisk.Ingestion.Webhooks.Salesforce;

/// <summary>One <c>Notification</c>: its delivery id and the selected Opportunity fields (absent = not selected, xsi:nil = empty).</summary>
public sealed record OutboundNotification(string Id, IReadOnlyDictionary<string, string?> Fields)
{
    public (bool Present, string? Value) Field(string name) => Fields.TryGetValue(name, out var value) ? (true, value) : (false, null);
}

public sealed record OutboundMessage(string OrganizationId, string? ActionId, IReadOnlyList<OutboundNotification> Notifications);

/// <summary>
/// Reads a Salesforce outbound message (SOAP 1.1, namespace <see cref="Namespace"/>). DTDs are prohibited and no
/// resolver is set, so a DOCTYPE or an external entity fails the parse instead of being fetched or expanded.
/// </summary>
public static class OutboundMessageReader
{
    public const string Namespace = "http://soap.sforce.com/2005/09/outbound";
    private static readonly XNamespace Outbound = Namespace;
    private static readonly XNamespace Xsi = "http://www.w3.org/2001/XMLSchema-instance";

    public static OutboundMessage Read(byte[] body, int maxNotifications = 100)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
        };
        XDocument document;
        using (var stream = new MemoryStream(body, writable: false))
        using (var reader = XmlReader.Create(stream, settings))
            document = XDocument.Load(reader);

        var notifications = document.Descendants(Outbound + "notifications").SingleOrDefault()
                            ?? throw new OutboundMessageException($"No <notifications> element in namespace {Namespace}: not a Salesforce outbound message.");
        var organizationId = notifications.Element(Outbound + "OrganizationId")?.Value.Trim();
        if (string.IsNullOrEmpty(organizationId))
            throw new OutboundMessageException("<OrganizationId> is missing.");

        var count = notifications.Elements(Outbound + "Notification").Count();
        if (count > maxNotifications)
            throw new OutboundMessageException($"A message holds at most {maxNotifications} notifications, not {count}.");
        var items = notifications.Elements(Outbound + "Notification").Select(ReadNotification).ToList();
        return new OutboundMessage(organizationId, notifications.Element(Outbound + "ActionId")?.Value.Trim(), items);
    }

    private static OutboundNotification ReadNotification(XElement notification, int index)
    {
        var id = notification.Element(Outbound + "Id")?.Value.Trim();
        if (string.IsNullOrEmpty(id))
            throw new OutboundMessageException($"Notification #{index} has no <Id>.");
        var sObject = notification.Element(Outbound + "sObject") ?? throw new OutboundMessageException($"Notification {id} has no <sObject>.");
        var type = sObject.Attribute(Xsi + "type")?.Value;
        if (type is not null && !type.EndsWith(":Opportunity", StringComparison.Ordinal) && type != "Opportunity")
            throw new OutboundMessageException($"Notification {id} carries a {type}, not an Opportunity.");

        var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var element in sObject.Elements())
            fields[element.Name.LocalName] = element.Attribute(Xsi + "nil")?.Value == "true" ? null : element.Value;
        return new OutboundNotification(id, fields);
    }

    public static string Ack(bool ack) =>
        $"""
         <?xml version="1.0" encoding="UTF-8"?>
         <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">
           <soapenv:Body>
             <notificationsResponse xmlns="{Namespace}">
               <Ack>{(ack ? "true" : "false")}</Ack>
             </notificationsResponse>
           </soapenv:Body>
         </soapenv:Envelope>
         """;
}

public sealed class OutboundMessageException(string message) : Exception(message);
