namespace DealRisk.SyntheticCrm;

internal static class WordLists
{
    public static readonly string[] LeadSources = ["Referral", "Inbound", "Partner", "Outbound"];
    public static readonly (string Item, double Weight)[] LeadSourceWeights =
        [("Referral", 0.18), ("Inbound", 0.37), ("Partner", 0.15), ("Outbound", 0.30)];

    public static readonly string[] Industries = ["SaaS", "HealthTech", "FinTech", "EdTech", "Ecommerce"];
    public static readonly string[] Regions = ["North America", "Europe", "APAC", "India"];
    public static readonly (string Item, double Weight)[] RegionWeights =
        [("North America", 0.45), ("Europe", 0.30), ("APAC", 0.13), ("India", 0.12)];

    public static readonly (string Item, double Weight)[] ProductWeights =
        [("Core", 0.45), ("Pro", 0.38), ("Enterprise", 0.17)];

    public static readonly string[] AccountRoots =
    [
        "Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Stark", "Wayne", "Cyberdyne", "Soylent",
        "Tyrell", "Wonka", "Aperture", "Gringotts", "Nakatomi", "Oscorp", "Massive", "Dunder", "Pied Piper", "Blue Sun",
        "Northwind", "Contoso", "Fabrikam", "Tailspin", "Woodgrove", "Litware", "Adatum", "Proseware", "Lucerne", "Wingtip",
        "Bluebird", "Redwood", "Silverline", "Brightpath", "Keystone", "Summit", "Harbor", "Evergreen", "Ironclad", "Nimbus",
    ];

    public static IReadOnlyList<string> AccountSuffixes(string industry) => industry switch
    {
        "HealthTech" => ["Health", "Care", "Medical", "Clinics"],
        "FinTech" => ["Pay", "Capital", "Financial", "Bank"],
        "EdTech" => ["Learning", "Academy", "Education", "Schools"],
        "Ecommerce" => ["Commerce", "Shop", "Retail", "Market"],
        _ => ["Corp", "Software", "Cloud", "Labs", "Systems"],
    };

    public static readonly string[] DealPhrases =
    [
        "Platform expansion", "New business", "Team rollout", "Annual renewal upsell", "Pilot", "Multi-year agreement",
        "Analytics add-on", "Department expansion", "Global rollout", "Seat expansion", "Migration project", "Security upgrade",
    ];

    public static IReadOnlyList<string> NextSteps(string stage) => stage switch
    {
        "Lead" => ["Book discovery call", "Qualify budget and timeline", "Reach out to inbound contact"],
        "Qualified" => ["Schedule product demo", "Identify decision makers", "Confirm use cases with champion"],
        "Demo" => ["Run tailored demo", "Share demo recording and follow up", "Set up technical deep dive"],
        "Proposal" => ["Send proposal", "Review pricing with champion", "Answer security questionnaire"],
        _ => ["Redline MSA with legal", "Get signature from economic buyer", "Finalise order form"],
    };

    public static readonly string[] FollowUps =
    [
        "Follow up on last email", "Check in with champion", "Send case study", "Schedule sync with stakeholders",
        "Confirm next meeting", "Share ROI estimate",
    ];
}
