namespace Portal.Web.Tests.Components.Registry;

/// <summary>Frozen evidence as the worker writes it (camelCase, the shape of Portal.Ml.Governance.PromotionEvidence).</summary>
public static class EvidenceSamples
{
    public static string Binary(string sentence = "The challenger is better by 4.0 points of AUC, and we are 95 % sure it is at least 1.2 points: the margin of 1 point is met.") => $$"""
        {
          "task": "Binary", "labelColumn": "Churned",
          "rows": { "rows": 400, "split": null, "description": "all 400 rows of the hold-out file" },
          "challenger": { "modelType": "LinearBinaryModelParameters",
            "metrics": [ { "name": "areaUnderRocCurve", "value": 0.86 }, { "name": "accuracy", "value": 0.81 }, { "name": "logLoss", "value": 1.7 } ],
            "confusionMatrix": { "classes": [ "False", "True" ], "counts": [ [ 200, 40 ], [ 36, 124 ] ] }, "perClass": [], "residuals": null },
          "champion": { "modelType": "LinearBinaryModelParameters",
            "metrics": [ { "name": "areaUnderRocCurve", "value": 0.82 }, { "name": "accuracy", "value": 0.78 }, { "name": "logLoss", "value": 1.9 } ],
            "confusionMatrix": { "classes": [ "False", "True" ], "counts": [ [ 190, 50 ], [ 38, 122 ] ] }, "perClass": [], "residuals": null },
          "quality": { "metric": "areaUnderRocCurve", "hasChampion": true, "passes": true, "sentence": "{{sentence}}", "margin": 0.01, "confidence": 0.95,
            "accuracy": null, "auc": null, "rmse": null, "mae": null, "thresholds": [] },
          "featureImportance": { "metric": "areaUnderRocCurve", "permutations": 3, "rows": 400, "method": "Slots summed per input column.",
            "columns": [ { "column": "Tenure", "importance": 0.12, "standardDeviation": 0.01, "slots": 1 }, { "column": "Plan", "importance": 0.05, "standardDeviation": 0.004, "slots": 3 } ] },
          "explanation": { "row": 0, "available": true, "statement": "Contributions of each column to the raw score of row 0.", "prediction": "True (score 1.3)",
            "contributions": [ { "column": "Tenure", "value": "3", "contribution": 0.9 } ] },
          "fairness": { "verdict": "WithinBounds", "statement": "Judged over Gender.", "columns": [ { "column": "Gender",
            "groups": [ { "group": "F", "rows": 200, "actualPositives": 80, "selected": 70, "truePositives": 62 }, { "group": "M", "rows": 200, "actualPositives": 80, "selected": 72, "truePositives": 64 } ],
            "truePositiveRateGap": 0.025, "selectionRateRatio": 0.97, "truePositiveRateVerdict": "WithinBounds", "selectionRateVerdict": "WithinBounds", "tooSmallGroups": [],
            "bounds": { "maxTruePositiveRateGap": 0.1, "minSelectionRateRatio": 0.8, "minGroupRows": 30 } } ] },
          "timings": [ { "stage": "score both models", "seconds": 0.4 } ]
        }
        """;
}
