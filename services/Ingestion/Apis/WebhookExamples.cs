namespace DealRisk.Ingestion.Apis;

/// <summary>Example webhook bodies for the API description, in the shapes HubSpot and Salesforce send.</summary>
public static class WebhookExamples
{
    public const string HubSpot = """
        [
          {
            "eventId": 1001, "subscriptionId": 7001, "portalId": 62515, "appId": 1160452, "occurredAt": 1764590400000,
            "subscriptionType": "deal.propertyChange", "attemptNumber": 0, "objectId": 9876543210,
            "changeSource": "CRM_UI", "propertyName": "dealstage", "propertyValue": "contractsent"
          },
          {
            "eventId": 1002, "subscriptionId": 7002, "portalId": 62515, "appId": 1160452, "occurredAt": 1764590460000,
            "subscriptionType": "deal.creation", "attemptNumber": 0, "objectId": 9876543211,
            "changeFlag": "CREATED", "changeSource": "CRM_UI"
          }
        ]
        """;

    public const string Salesforce = """
        <?xml version="1.0" encoding="UTF-8"?>
        <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
          <soapenv:Body>
            <notifications xmlns="http://soap.sforce.com/2005/09/outbound">
              <OrganizationId>00D5e000000TestEAA</OrganizationId>
              <ActionId>04k5e000000AbcdAAC</ActionId>
              <Notification>
                <Id>04l5e00000ABCDEAA1</Id>
                <sObject xsi:type="sf:Opportunity" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">
                  <sf:Id>0065e00000XyZ12AAB</sf:Id>
                  <sf:Name>Example renewal</sf:Name>
                  <sf:StageName>Negotiation/Review</sf:StageName>
                  <sf:Amount>48000</sf:Amount>
                  <sf:CloseDate>2026-12-15</sf:CloseDate>
                  <sf:CreatedDate>2026-09-01T16:00:00.000Z</sf:CreatedDate>
                  <sf:LastModifiedDate>2026-12-01T16:00:00.000Z</sf:LastModifiedDate>
                  <sf:IsClosed>false</sf:IsClosed>
                  <sf:IsWon>false</sf:IsWon>
                </sObject>
              </Notification>
            </notifications>
          </soapenv:Body>
        </soapenv:Envelope>
        """;
}
