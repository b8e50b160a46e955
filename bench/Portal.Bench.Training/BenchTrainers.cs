using Microsoft.ML;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.LightGbm;
using Portal.Ml.Catalog;

/// <summary>The bare trainers with the settings the engine uses (TrainerFactory is internal to Portal.Ml).</summary>
internal static class BenchTrainers
{
    public static IEstimator<ITransformer> Create(MLContext ml, TrainerDescriptor descriptor, IReadOnlyDictionary<string, double> hp) => descriptor.Name switch
    {
        TrainerCatalog.LightGbm => ml.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
        {
            LearningRate = hp["learningRate"], NumberOfIterations = (int)hp["numberOfIterations"], NumberOfLeaves = (int)hp["numberOfLeaves"],
            MinimumExampleCountPerLeaf = (int)hp["minimumExampleCountPerLeaf"], UseCategoricalSplit = false, Seed = 1, Silent = true,
            Booster = new GradientBooster.Options { L2Regularization = hp["l2Regularization"] },
        }),
        TrainerCatalog.LbfgsLogisticRegression => ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
        {
            MaximumNumberOfIterations = (int)hp["maximumNumberOfIterations"], L2Regularization = (float)hp["l2Regularization"],
            L1Regularization = (float)hp["l1Regularization"], OptimizationTolerance = (float)hp["optimizationTolerance"], NumberOfThreads = 1,
        }),
        _ => ml.BinaryClassification.Trainers.SdcaLogisticRegression(new SdcaLogisticRegressionBinaryTrainer.Options
        {
            MaximumNumberOfIterations = (int)hp["maximumNumberOfIterations"], L2Regularization = (float)hp["l2Regularization"],
            L1Regularization = (float)hp["l1Regularization"], NumberOfThreads = 1,
        }),
    };
}
