namespace Portal.Web.Components.Layout;

/// <summary>
/// The light/dark choice survives reloads in a cookie: theme.js writes it when the user toggles, App reads it when it
/// renders a page and cascades it to the layout, so the first paint is already in the chosen theme.
/// </summary>
public static class ThemePreference
{
    public const string CookieName = "portal-theme";

    public const string CascadingName = "PortalSavedDarkMode";

    public const string ModulePath = "./assets/js/theme.js";
}
