using Microsoft.ML;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using Portal.Domain.Runs;
using Portal.Ml.Catalog;
using Portal.Ml.Featurization;

namespace Portal.Ml.Training;

/// <summary>Creates the ML.NET trainer for a catalogue entry with resolved hyperparameters (deterministic settings).</summary>
internal static class TrainerFactory
{
    public static IEstimator<ITransformer> Create(MLContext ml, TrainerDescriptor trainer, IReadOnlyDictionary<string, double> hp, int seed, int? epochsOverride = null)
    {
        const string label = SchemaFeaturizer.LabelColumn;
        const string features = SchemaFeaturizer.FeaturesColumn;
        int I(string name) => (int)hp[name];
        float F(string name) => (float)hp[name];
        int? epochs = epochsOverride ?? (hp.ContainsKey("maximumNumberOfIterations") ? I("maximumNumberOfIterations") : null);
        return (trainer.Task, trainer.Name) switch
        {
            (MlTask.Binary, TrainerCatalog.LightGbm) => ml.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
            {
                LabelColumnName = label, FeatureColumnName = features, LearningRate = hp["learningRate"], NumberOfIterations = I("numberOfIterations"),
                NumberOfLeaves = I("numberOfLeaves"), MinimumExampleCountPerLeaf = I("minimumExampleCountPerLeaf"), Booster = new GradientBooster.Options { L2Regularization = hp["l2Regularization"] },
                UseCategoricalSplit = false, Seed = seed, Silent = true, Verbose = false,
            }),
            (MlTask.Multiclass, TrainerCatalog.LightGbm) => ml.MulticlassClassification.Trainers.LightGbm(new LightGbmMulticlassTrainer.Options
            {
                LabelColumnName = label, FeatureColumnName = features, LearningRate = hp["learningRate"], NumberOfIterations = I("numberOfIterations"),
                NumberOfLeaves = I("numberOfLeaves"), MinimumExampleCountPerLeaf = I("minimumExampleCountPerLeaf"), Booster = new GradientBooster.Options { L2Regularization = hp["l2Regularization"] },
                UseCategoricalSplit = false, Seed = seed, Silent = true, Verbose = false,
            }),
            (MlTask.Regression, TrainerCatalog.LightGbm) => ml.Regression.Trainers.LightGbm(new LightGbmRegressionTrainer.Options
            {
                LabelColumnName = label, FeatureColumnName = features, LearningRate = hp["learningRate"], NumberOfIterations = I("numberOfIterations"),
                NumberOfLeaves = I("numberOfLeaves"), MinimumExampleCountPerLeaf = I("minimumExampleCountPerLeaf"), Booster = new GradientBooster.Options { L2Regularization = hp["l2Regularization"] },
                UseCategoricalSplit = false, Seed = seed, Silent = true, Verbose = false,
            }),
            (MlTask.Binary, TrainerCatalog.FastTree) => ml.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
            {
                LabelColumnName = label, FeatureColumnName = features, LearningRate = hp["learningRate"], NumberOfTrees = I("numberOfTrees"),
                NumberOfLeaves = I("numberOfLeaves"), MinimumExampleCountPerLeaf = I("minimumExampleCountPerLeaf"), Seed = seed, CategoricalSplit = false,
            }),
            (MlTask.Regression, TrainerCatalog.FastTree) => ml.Regression.Trainers.FastTree(new FastTreeRegressionTrainer.Options
            {
                LabelColumnName = label, FeatureColumnName = features, LearningRate = hp["learningRate"], NumberOfTrees = I("numberOfTrees"),
                NumberOfLeaves = I("numberOfLeaves"), MinimumExampleCountPerLeaf = I("minimumExampleCountPerLeaf"), Seed = seed, CategoricalSplit = false,
            }),
            (MlTask.Binary, TrainerCatalog.SdcaLogisticRegression) => ml.BinaryClassification.Trainers.SdcaLogisticRegression(new SdcaLogisticRegressionBinaryTrainer.Options
            {
                LabelColumnName = label, FeatureColumnName = features, MaximumNumberOfIterations = epochs, L2Regularization = F("l2Regularization"),
                L1Regularization = F("l1Regularization"), ConvergenceTolerance = F("convergenceTolerance"), NumberOfThreads = 1, Shuffle = true,
            }),
            (MlTask.Multiclass, TrainerCatalog.SdcaMaximumEntropy) => ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(new SdcaMaximumEntropyMulticlassTrainer.Options
            {
                LabelColumnName = label, FeatureColumnName = features, MaximumNumberOfIterations = epochs, L2Regularization = F("l2Regularization"),
                L1Regularization = F("l1Regularization"), ConvergenceTolerance = F("convergenceTolerance"), NumberOfThreads = 1, Shuffle = true,
            }),
            (MlTask.Regression, TrainerCatalog.Sdca) => ml.Regression.Trainers.Sdca(new SdcaRegressionTrainer.Options
            {
                LabelColumnName = label, FeatureColumnName = features, MaximumNumberOfIterations = epochs, L2Regularization = F("l2Regularization"),
                L1Regularization = F("l1Regularization"), ConvergenceTolerance = F("convergenceTolerance"), NumberOfThreads = 1, Shuffle = true,
            }),
            (MlTask.Binary, TrainerCatalog.LbfgsLogisticRegression) => LbfgsTrainer(ml, hp, epochs ?? 100),
            _ => throw new TrainingValidationException([$"Trainer '{trainer.Name}' is not available for {trainer.Task} tasks."]),
        };
    }

    public static LbfgsLogisticRegressionBinaryTrainer LbfgsTrainer(MLContext ml, IReadOnlyDictionary<string, double> hp, int iterations) =>
        ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
        {
            LabelColumnName = SchemaFeaturizer.LabelColumn, FeatureColumnName = SchemaFeaturizer.FeaturesColumn,
            MaximumNumberOfIterations = iterations, L2Regularization = (float)hp["l2Regularization"], L1Regularization = (float)hp["l1Regularization"],
            OptimizationTolerance = (float)hp["optimizationTolerance"], NumberOfThreads = 1,
        });
}
