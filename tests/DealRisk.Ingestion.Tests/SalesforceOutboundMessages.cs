using System.Security;
using System.Text;

namespace DealRisk.Ingestion.Tests;

/// <summary>Outbound messages in the shape of Salesforce's outbound messaging WSDL (notifications / Notification / sObject).</summary>
internal static class SalesforceOutboundMessages
{
    public static string Opportunity(string notificationId, string opportunityId, params (string Field, string? Value)[] fields)
    {
        var body = new StringBuilder();
        body.Append($"<sf:Id>{opportunityId}</sf:Id>");
        foreach (var (field, value) in fields)
            body.Append(value is null ? $"<sf:{field} xsi:nil=\"true\"/>" : $"<sf:{field}>{SecurityElement.Escape(value)}</sf:{field}>");
        return $"""
                <Notification>
                  <Id>{notificationId}</Id>
                  <sObject xsi:type="sf:Opportunity" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">{body}</sObject>
                </Notification>
                """;
    }

    public static string Envelope(string organizationId, params string[] notifications) =>
        $"""
         <?xml version="1.0" encoding="UTF-8"?>
         <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
           <soapenv:Body>
             <notifications xmlns="http://soap.sforce.com/2005/09/outbound">
               <OrganizationId>{organizationId}</OrganizationId>
               <ActionId>04k5e000000AbcdAAC</ActionId>
               <SessionId xsi:nil="true"/>
               <EnterpriseUrl>https://example.my.salesforce.com/services/Soap/c/60.0/00D5e000000Test</EnterpriseUrl>
               <PartnerUrl>https://example.my.salesforce.com/services/Soap/u/60.0/00D5e000000Test</PartnerUrl>
               {string.Join("\n", notifications)}
             </notifications>
           </soapenv:Body>
         </soapenv:Envelope>
         """;

    public static StringContent Soap(string xml) => new(xml, Encoding.UTF8, "text/xml");
}
