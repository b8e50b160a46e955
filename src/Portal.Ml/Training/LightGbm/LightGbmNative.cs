using System.Runtime.InteropServices;

namespace Portal.Ml.Training.LightGbm;

/// <summary>
/// The entry points of LightGBM's C API (c_api.h) that the portal's own boosting loop uses, in the native library
/// ML.NET's LightGbm trainer ships and calls (lib_lightgbm from the LightGBM NuGet package, resolved from the app's
/// native assets). Every call returns 0 or an error code whose message is <see cref="LastError"/>.
/// </summary>
internal static unsafe partial class LightGbmNative
{
    private const string Library = "lib_lightgbm";

    public const int Float32 = 0;
    public const int Float64 = 1;

    [LibraryImport(Library, EntryPoint = "LGBM_GetLastError")]
    private static partial nint GetLastError();

    [LibraryImport(Library, EntryPoint = "LGBM_DatasetCreateFromMat", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int DatasetCreateFromMat(void* data, int dataType, int rows, int columns, int isRowMajor, string parameters, nint reference, out nint dataset);

    [LibraryImport(Library, EntryPoint = "LGBM_DatasetSetField", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int DatasetSetField(nint dataset, string field, void* data, int count, int type);

    [LibraryImport(Library, EntryPoint = "LGBM_DatasetFree")]
    public static partial int DatasetFree(nint dataset);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterCreate", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int BoosterCreate(nint trainData, string parameters, out nint booster);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterAddValidData")]
    public static partial int BoosterAddValidData(nint booster, nint validData);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterUpdateOneIter")]
    public static partial int BoosterUpdateOneIter(nint booster, out int isFinished);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterGetNumPredict")]
    public static partial int BoosterGetNumPredict(nint booster, int dataIndex, out long length);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterGetPredict")]
    public static partial int BoosterGetPredict(nint booster, int dataIndex, out long length, double* result);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterSaveModelToString")]
    public static partial int BoosterSaveModelToString(nint booster, int startIteration, int numIteration, int featureImportanceType, long bufferLength, out long length, byte* result);

    [LibraryImport(Library, EntryPoint = "LGBM_BoosterFree")]
    public static partial int BoosterFree(nint booster);

    /// <summary>Throws with LightGBM's own message when a call failed.</summary>
    public static void Check(int result)
    {
        if (result != 0)
        {
            throw new InvalidOperationException($"LightGBM error {result}: {LastError()}");
        }
    }

    private static string LastError() => Marshal.PtrToStringUTF8(GetLastError()) ?? "(no message)";
}
