namespace Portal.Domain.Statistics;

/// <summary>
/// The 2×2 table of two models scored on the same rows, by whether each got the row right. The discordant cells
/// carry all the evidence of a difference: <see cref="ChallengerOnly"/> (b) and <see cref="ChampionOnly"/> (c).
/// </summary>
public sealed record PairedOutcomes(int BothCorrect, int ChallengerOnly, int ChampionOnly, int BothWrong)
{
    public int Rows => BothCorrect + ChallengerOnly + ChampionOnly + BothWrong;

    public int Discordant => ChallengerOnly + ChampionOnly;

    public double ChallengerAccuracy => (double)(BothCorrect + ChallengerOnly) / Rows;

    public double ChampionAccuracy => (double)(BothCorrect + ChampionOnly) / Rows;

    /// <summary>Challenger's accuracy minus the champion's, as a proportion: (b − c) / n.</summary>
    public double AccuracyDifference => (double)(ChallengerOnly - ChampionOnly) / Rows;

    /// <summary>Counts the table from per-row correctness of both models (same rows, same order).</summary>
    public static PairedOutcomes Count(IReadOnlyList<bool> challengerCorrect, IReadOnlyList<bool> championCorrect)
    {
        ArgumentNullException.ThrowIfNull(challengerCorrect);
        ArgumentNullException.ThrowIfNull(championCorrect);
        if (challengerCorrect.Count != championCorrect.Count)
        {
            throw new ArgumentException($"Both models must be scored on the same rows: the challenger has {challengerCorrect.Count}, the champion {championCorrect.Count}.", nameof(championCorrect));
        }

        int both = 0, challengerOnly = 0, championOnly = 0, neither = 0;
        for (var i = 0; i < challengerCorrect.Count; i++)
        {
            switch (challengerCorrect[i], championCorrect[i])
            {
                case (true, true): both++; break;
                case (true, false): challengerOnly++; break;
                case (false, true): championOnly++; break;
                default: neither++; break;
            }
        }

        return Create(both, challengerOnly, championOnly, neither);
    }

    /// <summary>The table from its four counts; refuses negative counts and an empty table.</summary>
    public static PairedOutcomes Create(int bothCorrect, int challengerOnly, int championOnly, int bothWrong)
    {
        if (bothCorrect < 0 || challengerOnly < 0 || championOnly < 0 || bothWrong < 0)
        {
            throw new ArgumentException("Counts of a paired table cannot be negative.");
        }

        var table = new PairedOutcomes(bothCorrect, challengerOnly, championOnly, bothWrong);
        if (table.Rows == 0)
        {
            throw new ArgumentException("There are no evaluation rows: both models must be scored on at least one row.");
        }

        return table;
    }
}
