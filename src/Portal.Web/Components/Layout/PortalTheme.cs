using MudBlazor;

namespace Portal.Web.Components.Layout;

/// <summary>Portal's colours: a calm governance blue, with a dark palette of the same hues.</summary>
public static class PortalTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1f4e8c",
            Secondary = "#00897b",
            AppbarBackground = "#1f4e8c",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#7aa7e0",
            Secondary = "#4db6ac",
            AppbarBackground = "#1b2333",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"] },
        },
    };
}
