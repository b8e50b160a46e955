namespace Portal.Ml.Catalog;

/// <summary>How a trainer builds its model, which decides how its learning curve is observed.</summary>
public enum TrainerFamily
{
    /// <summary>Boosted trees (LightGbm, FastTree): curve replayed tree by tree from the fitted ensemble.</summary>
    TreeEnsemble = 0,

    /// <summary>Linear model whose trainer accepts a warm start (L-BFGS): trained in chunks of iterations.</summary>
    WarmStartLinear = 1,

    /// <summary>Linear model without warm start (SDCA): re-fitted from scratch at a doubling number of epochs.</summary>
    EpochLinear = 2,
}
