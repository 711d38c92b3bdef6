namespace DealRisk.SyntheticCrm;

/// <summary>The logistic function that decides a deal's outcome from its latent traits.</summary>
internal static class WinModel
{
    public static double Logit(DealTraits traits)
    {
        var logit = 0.95;
        if (traits.SingleThreaded) logit -= 1.2;
        if (traits.Silent) logit -= 1.5;
        logit -= 0.4 * traits.Pushes;
        if (traits.Pushes >= 3) logit -= 0.6;
        if (traits.Stalled) logit -= 1.0;
        if (traits.Regression) logit -= 0.7;
        if (traits.StaleNextStep) logit -= 0.8;
        if (traits.WeakRep) logit -= 0.9;
        logit += traits.LeadSource switch
        {
            "Partner" => -0.7,
            "Referral" => 0.5,
            _ => 0.0,
        };
        logit -= 0.3 * Math.Log((double)traits.Amount / 25_000.0);
        return logit + 0.35 * traits.Noise;
    }

    public static double WinProbability(DealTraits traits) => 1.0 / (1.0 + Math.Exp(-Logit(traits)));
}
