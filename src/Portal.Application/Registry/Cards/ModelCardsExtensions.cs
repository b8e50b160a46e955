using Microsoft.Extensions.DependencyInjection;

namespace Portal.Application.Registry.Cards;

public static class ModelCardsExtensions
{
    /// <summary>
    /// Registers model cards: the facts builder, the card reader and the editing use case, with <typeparamref name="TSubjects"/>
    /// as the registry lookup that says who answers for a version (<see cref="IModelCardSubjects"/>).
    /// </summary>
    public static IServiceCollection AddModelCards<TSubjects>(this IServiceCollection services)
        where TSubjects : class, IModelCardSubjects
    {
        services.AddSingleton<IModelCardSubjects, TSubjects>();
        services.AddSingleton<ModelCardFactsBuilder>();
        services.AddSingleton<ModelCardReader>();
        services.AddSingleton<ModelCardEditing>();
        return services;
    }
}
