// A wizard field's problem, under the field (nothing when there is none).
export function FieldProblem({ text, testId }: { text?: string; testId?: string }) {
  return text ? (
    <span className="field-error" role="alert" data-testid={testId}>
      {text}
    </span>
  ) : null;
}
