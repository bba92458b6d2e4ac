"""The English messages, by key (see tutor.i18n)."""

EN: dict[str, str] = {
    # check.*: marking an answer (tutor/check.py)
    "check.correct": "Correct.",
    "check.correct_close": "Correct ({percent}% from the exact value).",
    "check.correct_off_by": "Correct ({gap} from the exact value {exact}).",
    "check.follow_through": (
        "Accepted using your own earlier answers: from them this step gives {target}"
        " (the exact value is {exact})."
    ),
    "check.formula_correct": "Correct: your formula agrees with the expected one.",
    "check.formula_divides_by_zero": "I read this as {formula}, which divides by zero; check what you divide by.",
    "check.formula_number": (
        "This step asks for a formula in {variables}, not a number."
    ),
    "check.formula_number_right": (
        "This step asks for a formula in {variables}; your number is right at {at}. Type it as a formula"
        " in {variables}."
    ),
    "check.formula_number_wrong": (
        "This step asks for a formula in {variables}; your number is wrong at {at}. Type a formula"
        " in {variables}."
    ),
    "check.formula_incorrect": "Not correct: your formula does not agree with the expected one.",
    "check.formula_untestable": (
        "The expected formula {formula!r} cannot be evaluated at enough points to compare answers."
    ),
    "check.incorrect": "Not correct.",
    "check.incorrect_far_large": "Not correct: your answer is far too large ({factor} times the right value or more).",
    "check.incorrect_large": "Not correct: your answer is {percent}% too large.",
    "check.incorrect_small": "Not correct: your answer is {percent}% too small.",
    "check.mistake_unknown": "This matches a known mistake ({mistake}).",
    "check.more_digits": (
        "Give one more significant figure: at the figures you typed, the right value and the value"
        " a common mistake gives look the same. This does not count as an attempt."
    ),
    "check.more_digits_entries": (
        "Give one more significant figure in entry {entries}: at the figures you typed, the right value"
        " and the value a common mistake gives look the same. This does not count as an attempt."
    ),
    "check.near_rounding": (
        "You are within what rounding earlier values could explain: did you round an intermediate value too early?"
    ),
    "check.near_scale_large": "Your answer is {factor} times too large: check the decimal point.",
    "check.near_scale_small": "Your answer is {factor} times too small: check the decimal point.",
    "check.read_as": "I read this as: {shown}",
    "check.vector_entries": "Entries {wrong} are not correct ({right} of {total} are right).",
    "check.vector_entry": "Entry {wrong} is not correct ({right} of {total} are right).",
    "check.vector_length": "I expected {expected} values but read {got}.",
    "check.vector_length_comma": (
        "I expected {expected} values but read {got}."
        " Use '.' as the decimal point and ',' only between values."
    ),
    # command.*: words typed instead of an answer (tutor/session.py Command)
    "command.back": "go back a step",
    "command.help": "list these words",
    "command.hint": "a hint: first the step's formula, then the formula with your numbers",
    "command.quit": "stop here; next time you can continue where you left off",
    "command.show": "show the answer and go on",
    "command.skip": "skip the step (later steps use the exact value)",
    # expr.*: reading an expression (tutor/expr/)
    "expr.arity": "{name}(...) takes exactly one value, but I found {count}.",
    "expr.attribute": "A '.' may only appear inside a number such as 0.5 (position {pos}).",
    "expr.bad_char": "The character {char!r} is not allowed here (position {pos}).",
    "expr.brackets": "Square brackets are only for a list of values; use ( ) for grouping.",
    "expr.comparison": "Comparisons such as {op!r} are not allowed: type a value.",
    "expr.control_char": "The input contains an invisible control character ({codepoint}); please retype it.",
    "expr.decimal_comma": "Use a decimal point, not a comma: {suggestion}",
    "expr.division_by_zero": "This divides by zero.",
    "expr.empty": "Please type an answer.",
    "expr.empty_parens": "There is nothing inside the parentheses at position {pos}.",
    "expr.equals": "Type only the value or expression, without '='.",
    "expr.factorial": "The factorial '!' is not allowed.",
    "expr.function_needs_call": "{name!r} is a function: write {name}(...).",
    "expr.implicit_multiplication": "Write the multiplication sign: {suggestion} (position {pos}).",
    "expr.incomplete": "The expression is incomplete: something is missing after {near!r}.",
    "expr.keyword": "{word!r} cannot be used here: only numbers, names, + - * / ^ and functions.",
    "expr.leading_zero": "Write the number {number!r} without leading zeros: {suggestion}",
    "expr.list_empty_item": "Value {item} is empty.",
    "expr.list_item": "Value {item}: {detail}",
    "expr.log_domain": "log needs a positive number, but here it gets {value}.",
    "expr.mismatched": "The {open!r} at position {open_pos} is closed by {char!r} at position {pos}.",
    "expr.missing_operator": "An operator is missing between {left!r} and {right!r}.",
    "expr.non_ascii": "I can't read the character {char!r} ({codepoint}, {charname}) at position {pos}.",
    "expr.non_ascii_dash": "The character {char!r} at position {pos} is not a minus sign; type - instead.",
    "expr.not_a_function": "{name!r} is not a function; to multiply, write {name}*(...).",
    "expr.not_a_number": "The value of {name!r} is not a single number.",
    "expr.not_allowed": "This is not allowed in an answer: {what}.",
    "expr.number_range": "The number {number!r} is too large to compute with.",
    "expr.number_too_long": "The number starting {number!r} has too many digits.",
    "expr.one_value": "Type a single value here, not a list.",
    "expr.operator": "The operator {op!r} is not allowed; use + - * / ^.",
    "expr.overflow": "The result is too large to compute.",
    "expr.percent": "'%' is not allowed: write 5% as 0.05.",
    "expr.pow_domain": "A negative number cannot be raised to a fractional power: {base}^{exponent}.",
    "expr.sqrt_domain": "sqrt needs a number that is not negative, but here it gets {value}.",
    "expr.slope_undefined": "{derivative} is undefined at {arg} = {value}",
    "expr.slope_overflow": "the derivative by {name} is too large to compute (beyond about 1.8e308)",
    "expr.pow_slope_domain": "d({power})/d{exponent} = {power} · log {base} needs {base} > 0, so it is undefined at {base} = {value}",
    "expr.string": "Quotes are not allowed: type numbers, names and operators only.",
    "expr.syntax": "I can't read this near position {pos}: {near!r}",
    "expr.too_complex": "The expression is too complex to read (more than {limit} operations in a chain).",
    "expr.too_deep": "The expression is nested too deeply (more than {limit} levels).",
    "expr.too_long": "The input is too long ({length} characters; at most {limit}).",
    "expr.too_many_nodes": "The expression is too long (more than {limit} parts).",
    "expr.too_many_values": "There are too many values (more than {limit}).",
    "expr.unbalanced_close": "The {char!r} at position {pos} has no matching opening parenthesis.",
    "expr.unbound_name": "No value is known for {name!r}.",
    "expr.unclosed": "The {char!r} at position {pos} is never closed.",
    "expr.unknown_function": "{name!r} is not a function I know; the functions are: {functions}.",
    "expr.unknown_function_suggest": (
        "{name!r} is not a function I know. Did you mean {suggestion!r}? The functions are: {functions}."
    ),
    "expr.unknown_name": "I don't know the name {name!r}; you can use: {names}.",
    "expr.unknown_name_suggest": (
        "I don't know the name {name!r}. Did you mean {suggestion!r}? You can use: {names}."
    ),
    # diagram.*: the network or graph drawn as text (tutor/render/diagram.py)
    "diagram.input": "input",
    "diagram.layer": "layer {layer} ({activation})",
    "diagram.layer_alone": "output layer ({activation}), loss: {loss}",
    "diagram.loss": "loss: {loss}",
    "diagram.output": "output: {output}",
    "diagram.weights": "weights into layer {layer} and their gradients:",
    "diagram.adam": "Adam, update t = {t}:",
    "diagram.adam_weight": "weight {i}:",
    "diagram.affine_b": "b, added to every row (M = {m}):",
    "diagram.affine_db": "∂E/∂b = the column sums of ∂E/∂Y (M = {m}):",
    "diagram.affine_dw": "∂E/∂W = Xᵀ·∂E/∂Y (D×M = {d}×{m}):",
    "diagram.affine_dx": "∂E/∂X = ∂E/∂Y·Wᵀ (N×D = {n}×{d}):",
    "diagram.affine_dy": "∂E/∂Y, from the layer above (N×M = {n}×{m}):",
    "diagram.affine_w": "W (D×M = {d}×{m}):",
    "diagram.affine_x": "X, one example per row (N×D = {n}×{d}):",
    "diagram.affine_y": "Y = X·W + b (N×M = {n}×{m}):",
    # mistake.*: what a matched mistake rule tells the student (tutor/engine/mistakes.py)
    "mistake.activation_forgotten": "That is u, not h: the activation was not applied (h = f(u)).",
    "mistake.scores_as_probabilities": (
        "Those are the scores u, not the probabilities: softmax gives hⱼ = exp(uⱼ) / Σₖ exp(uₖ)."
    ),
    "mistake.slope_in_u": (
        "f′(u) was written with u where h belongs: σ′(u) = h(1 − h), not u(1 − u)"
        " (and tanh′(u) = 1 − h², not 1 − u²)."
    ),
    "mistake.sign_flipped_back": (
        "The size is right but the sign is flipped: check the sign of each factor carried back (δ, w, h)."
    ),
    "mistake.delta_wrong_layer": (
        "That uses the δ of another layer: ∂E/∂wⱼᵢ⁽ˡ⁾ = δⱼ⁽ˡ⁾ hᵢ⁽ˡ⁻¹⁾ takes δ from the same layer l as the weight."
    ),
    "mistake.bias_twice": "The bias seems to be added twice: u = W h + b has b once.",
    "mistake.upstream_forgotten": (
        "That is only the local derivative: multiply it by the gradient coming from above"
        " (∂z/∂v = ∂z/∂c · ∂c/∂v)."
    ),
    "mistake.chain_factor_forgotten": (
        "One factor of the chain rule is missing: dy/dx = dy/du · du/dx, the outer derivative taken at"
        " the inner function times the inner derivative."
    ),
    "mistake.formula_sign": "Your formula has the wrong sign: it is the right one times −1.",
    "mistake.formula_factor": "Your formula is off by a constant factor: it is a constant multiple of the right one.",
    "mistake.bias_forgotten": "It looks like the bias b was left out of u = W h + b.",
    "mistake.derivative_at_h": (
        "It looks like f′ was evaluated at h instead of at u: for the sigmoid, f′(u) = σ(u)(1 − σ(u))"
        " = h(1 − h), not σ(h)(1 − σ(h))."
    ),
    "mistake.fan_out_not_summed": (
        "This value feeds more than one node: its gradient is the sum of the gradients coming back"
        " along every path, and you have only one of them."
    ),
    "mistake.gradient_uses_u": (
        "∂E/∂wⱼᵢ = δⱼ hᵢ uses hᵢ, the output of unit i after its activation, not uᵢ."
    ),
    "mistake.half_forgotten": (
        "Your answer is twice the right value: E = ½ Σ (h − d)² has a ½, so ∂E/∂h = h − d, not 2(h − d)."
    ),
    "mistake.learning_rate_forgotten": "The update is w − η ∂E/∂w: the learning rate η is missing.",
    "mistake.missing_derivative": (
        "The factor f′(u) is missing: δ = ∂E/∂u, so the activation's derivative multiplies the rest."
    ),
    "mistake.mse_factor_forgotten": (
        "For the mean squared error, ∂E/∂h = 2(h − d)/n: the factor 2/n is missing."
    ),
    "mistake.mse_sum_not_mean": "MSE is the mean of the squared errors, not their sum: divide by n.",
    "mistake.output_as_gradient": (
        "With softmax (or sigmoid) and cross-entropy, the backward value is δ = h − d, not h."
    ),
    "mistake.sign_flipped": "The sign is flipped: the lecture's δ uses h − d, not d − h.",
    "mistake.squared_error_for_mse": (
        "This problem uses MSE (PyTorch's MSELoss): the mean of (h − d)², with no ½."
    ),
    "mistake.transposed_weights": (
        "The weight indices look swapped: wⱼᵢ goes to unit j from unit i (row j, column i of W)."
    ),
    "mistake.update_forgotten": "That is the old weight: the new one is w − η ∂E/∂w.",
    "mistake.update_sign": "The update goes down the gradient: w − η ∂E/∂w, not w + η ∂E/∂w.",
    "mistake.slope_not_cancelled": (
        "With cross-entropy after a softmax (or sigmoid) output the factor f′(u) cancels: δ = h − d,"
        " with no extra h(1 − h)."
    ),
    "mistake.dx_transpose_forgotten": (
        "∂E/∂X = ∂E/∂Y·Wᵀ: W must be transposed. ∂E/∂Y·W fits here only because W is square."
    ),
    "mistake.dw_transpose_forgotten": (
        "∂E/∂W = Xᵀ·∂E/∂Y: X must be transposed. X·∂E/∂Y has the shape of W here only because the"
        " batch size N equals D."
    ),
    "mistake.batch_not_summed": (
        "That is the share of one example only: add up the contributions of every row (every example)"
        " of the batch."
    ),
    "mistake.batch_averaged": (
        "The gradient is the sum over the batch, not the mean: E adds up the examples here, so do not"
        " divide by N."
    ),
    "mistake.bias_correction_forgotten": (
        "The bias correction is missing: m̂ = m / (1 − β₁ᵗ), v̂ = v / (1 − β₂ᵗ), and the"
        " update uses m̂ and v̂."
    ),
    "mistake.sqrt_forgotten": "The update divides by the square root of v̂: w − η m̂ / (√v̂ + ε).",
    "mistake.gradient_not_squared": "v averages the squared gradient: v = β₂ v + (1 − β₂) g².",
    "mistake.moment_weights_swapped": (
        "β multiplies the old moment and 1 − β the new term: m = β₁ m + (1 − β₁) g, v = β₂ v + (1 − β₂) g²."
    ),
    # mistake_name.*: short names for the progress table
    "mistake_name.activation_forgotten": "h = u (f not applied)",
    "mistake_name.scores_as_probabilities": "scores for probabilities",
    "mistake_name.slope_in_u": "σ′ as u(1 − u)",
    "mistake_name.sign_flipped_back": "sign flipped going back",
    "mistake_name.delta_wrong_layer": "δ of another layer",
    "mistake_name.bias_twice": "bias added twice",
    "mistake_name.upstream_forgotten": "upstream gradient left out",
    "mistake_name.chain_factor_forgotten": "chain factor left out",
    "mistake_name.formula_sign": "formula sign",
    "mistake_name.formula_factor": "constant factor",
    "mistake_name.bias_forgotten": "bias left out",
    "mistake_name.derivative_at_h": "f′ at h",
    "mistake_name.fan_out_not_summed": "fan-out not summed",
    "mistake_name.gradient_uses_u": "u instead of h",
    "mistake_name.half_forgotten": "½ forgotten",
    "mistake_name.learning_rate_forgotten": "η forgotten",
    "mistake_name.missing_derivative": "f′ forgotten",
    "mistake_name.mse_factor_forgotten": "2/n forgotten",
    "mistake_name.mse_sum_not_mean": "sum for mean",
    "mistake_name.output_as_gradient": "h for h − d",
    "mistake_name.sign_flipped": "sign flipped",
    "mistake_name.squared_error_for_mse": "½ in MSE",
    "mistake_name.transposed_weights": "wᵢⱼ for wⱼᵢ",
    "mistake_name.update_forgotten": "no update",
    "mistake_name.update_sign": "+ in the update",
    "mistake_name.slope_not_cancelled": "f′ not cancelled",
    "mistake_name.dx_transpose_forgotten": "Wᵀ forgotten in ∂E/∂X",
    "mistake_name.dw_transpose_forgotten": "Xᵀ forgotten in ∂E/∂W",
    "mistake_name.batch_not_summed": "batch not summed",
    "mistake_name.batch_averaged": "mean for sum",
    "mistake_name.bias_correction_forgotten": "bias correction forgotten",
    "mistake_name.sqrt_forgotten": "√ forgotten",
    "mistake_name.gradient_not_squared": "g not squared",
    "mistake_name.moment_weights_swapped": "β and 1 − β swapped",
    # phase.*: the parts of a solution
    "phase.backward": "Backward pass",
    "phase.forward": "Forward pass",
    "phase.gradient": "Gradients",
    "phase.loss": "Error",
    "phase.update": "Updated weights",
    # plain.*: the line-by-line session (tutor/plain.py)
    "plain.finished": "All steps done.",
    "plain.given": "Given (a ? is a value you will find):",
    "plain.commands": "Words you can type instead of an answer:",
    "plain.notation_network": (
        "wⱼᵢ⁽ˡ⁾ is the weight into unit j of layer l from unit i of layer l−1,"
        " so row j of W⁽ˡ⁾ holds the weights into unit j."
    ),
    "plain.intro": "Type each value (or formula) and press Enter. Words: hint, show, skip, back, quit; help or ? lists them.",
    "plain.unfinished": (
        "You have an unfinished session of this problem (at step {step} of {total}); starting a new one."
        " To continue the old one instead: bptutor solve {ref} --plain --resume"
    ),
    # progress.*: bptutor progress
    "progress.accuracy": "first try",
    "progress.done": "steps done",
    "progress.empty": "No attempts recorded yet. Start with: bptutor solve xor",
    "progress.mistakes": "most frequent mistakes",
    "progress.problem": "problem",
    # rule.*: the general law a step applies, in the lecture's notation (Step.rule)
    "rule.activation": "hⱼ = f(uⱼ)",
    "rule.delta_hidden": "δⱼ = f′(uⱼ) Σₖ wₖⱼ δₖ   (k runs over the units of the layer above)",
    "rule.delta_output": "δⱼ = ∂E/∂uⱼ = ∂E/∂hⱼ · f′(uⱼ)   (output layer)",
    "rule.delta_output_matched": "δⱼ = ∂E/∂uⱼ = hⱼ − dⱼ   (softmax with cross-entropy, sigmoid with binary cross-entropy)",
    "rule.delta_output_softmax": "δⱼ = Σₖ ∂E/∂hₖ · ∂hₖ/∂uⱼ = hⱼ (∂E/∂hⱼ − Σₖ hₖ ∂E/∂hₖ)",
    "rule.grad_bias": "∂E/∂bⱼ = δⱼ",
    "rule.grad_weight": "∂E/∂wⱼᵢ = δⱼ hᵢ   (j: the unit the weight goes to; i: the one it comes from)",
    "rule.graph_chain": "∂z/∂v = Σ ∂z/∂c · ∂c/∂v over the nodes c that read v (the chain rule)",
    "rule.graph_formula": "The derivative as a formula in the inputs",
    "rule.graph_forward": "The node's value from the values of the nodes it reads",
    "rule.graph_local": "Local derivative: this node differentiated by one input, the others held fixed",
    "rule.label": "Rule: {rule}",
    "rule.loss_binary_cross_entropy": "E = −Σⱼ [dⱼ log hⱼ + (1 − dⱼ) log(1 − hⱼ)]",
    "rule.loss_cross_entropy": "E = −Σⱼ dⱼ log hⱼ",
    "rule.loss_mse": "E = (1/n) Σⱼ (hⱼ − dⱼ)²",
    "rule.loss_squared_error": "E = ½ Σⱼ (hⱼ − dⱼ)²",
    "rule.softmax": "hⱼ = exp(uⱼ) / Σₖ exp(uₖ)",
    "rule.update": "w ← w − η ∂E/∂w",
    "rule.weighted_sum": "uⱼ = Σᵢ wⱼᵢ hᵢ + bⱼ   (u = W h + b; hᵢ is xᵢ in the first layer)",
    "rule.adam_m": "m ← β₁ m + (1 − β₁) g   (a moving average of the gradient)",
    "rule.adam_mhat": "m̂ = m / (1 − β₁ᵗ)   (bias correction: m starts at 0)",
    "rule.adam_update": "w ← w − η m̂ / (√v̂ + ε)",
    "rule.adam_v": "v ← β₂ v + (1 − β₂) g²   (a moving average of the squared gradient)",
    "rule.adam_vhat": "v̂ = v / (1 − β₂ᵗ)   (bias correction: v starts at 0)",
    "rule.affine_db": "∂E/∂bⱼ = Σₙ ∂E/∂Yₙⱼ   (∂E/∂b: the column sums of ∂E/∂Y, shape (M,))",
    "rule.affine_dw": "∂E/∂Wᵢⱼ = Σₙ Xₙᵢ ∂E/∂Yₙⱼ   (∂E/∂W = Xᵀ·∂E/∂Y: (D×N)(N×M) → D×M)",
    "rule.affine_dx": "∂E/∂Xₙᵢ = Σⱼ ∂E/∂Yₙⱼ Wᵢⱼ   (∂E/∂X = ∂E/∂Y·Wᵀ: (N×M)(M×D) → N×D)",
    "rule.affine_forward": "Yₙⱼ = Σᵢ Xₙᵢ Wᵢⱼ + bⱼ   (Y = X·W + b: (N×D)(D×M) → N×M)",
    # session.*: hints and reveals (tutor/session.py)
    # saver.*: attempts that could not be saved (tutor/saver.py)
    "saver.lost_at_end": "{count} attempt(s) could not be saved to the progress database ({reason}). A copy of them is in {copy}.",
    "saver.no_copy": "no file: a copy could not be written either",
    "saver.not_saved": (
        "Progress is not being saved ({reason}). Not saved yet: {count} attempt(s); a copy is in {copy}."
        " bptutor tries again at each answer."
    ),
    "saver.saved_again": "Progress is saved again in {path}; no attempt was lost.",
    "session.answer_too_long": "Your answer is {length} characters; answers are at most {limit}. It was not checked and costs no attempt.",
    "session.hint_formula": "Formula: {formula}",
    "session.hint_more": "That is all the help there is for this step; 'show' reveals the answer.",
    "session.hint_numbers": "With your numbers: {formula}",
    "session.open_elsewhere": (
        "This problem is already open in another bptutor, so this one starts a new session and the two"
        " do not mix; the other can still be continued later."
    ),
    "session.shown": "The answer is {answer}.",
    "session.shown_own": "The answer from your own earlier values is {answer} (from the exact values: {exact}).",
    "session.skipped_answer": "Skipped. The answer is {answer}; later steps use this exact value.",
    "session.worked_exact": "With the exact values: {formula}",
    "session.unreadable_line": "I could not read this line (it is not UTF-8 text). It costs no attempt.",
    # solution.*: worked solutions (tutor/render/)
    "solution.as_formula": "as a formula",
    "solution.formula": "formula",
    "solution.given": "Given",
    "solution.notes": "Notes",
    "solution.quantity": "quantity",
    "solution.value": "value",
    "solution.with_numbers": "with numbers",
    # symbol.*: names of quantities that contain a word (tutor/engine/symbols.py)
    "symbol.local": "local ∂{top}/∂{bottom}",
    "symbol.updated": "{name} (new)",
    "symbol.updated_latex": r"{name}\ \mathrm{{(new)}}",
    "symbol.local_latex": r"\left({fraction}\right)_{{\mathrm{{local}}}}",
    # summary.*: the end of a session (Session.summary; the TUI and the plain prompt)
    "summary.later": "Right after a retry or a hint: {count}",
    "summary.mistakes": "Mistakes named along the way:",
    "summary.no_mistakes": "No typical mistake was named.",
    "summary.score": "Score: {right}/{total} right at the first try",
    "summary.shown": "Answers shown: {count}",
    "summary.skipped": "Skipped: {count}",
    # tui.*: the full-screen app (tutor/tui/)
    "tui.all_done": "All steps are done. F5 goes back to a step; F10 quits.",
    "tui.all_done_title": "All steps done",
    "tui.answer_formula": "a formula in {variables}",
    "tui.answer_number": "a number (3/4 is fine too)",
    "tui.answer_vector_order": "{entries}: {count} values, separated by commas, in this order",
    "tui.diagram_graph": "Computational graph",
    "tui.diagram_layer": "Output layer",
    "tui.diagram_network": "Network",
    "tui.diagram_affine": "Affine layer",
    "tui.diagram_optimizer": "Adam update",
    "tui.earlier_correct": "Earlier answer: {answer} ✓. Answer again to go on from here.",
    "tui.earlier_shown": "The answer to this step was shown earlier.",
    "tui.earlier_skipped": "You skipped this step earlier.",
    "tui.help_answers": (
        "Answers: a number (0.6225, -8.25, 1e-3), arithmetic (3/4, 0.5*0.7+0.9, 1/(1+exp(-1))), a "
        "list for a vector step (0.3, -0.8, 0.5), or a formula in the step's variables (-tan(x)). "
        "Full-width digits typed with a Japanese IME are fine."
    ),
    "tui.help_close": "Esc: close",
    "tui.help_keys": "Keys",
    "tui.help_marks": (
        "Marks in the step list: ✓ right at the first try, (✓) right later, ! answer shown, – "
        "skipped, ▶ the current step."
    ),
    "tui.help_saved": (
        "Every answer is saved as you go. Quit at any time: the next 'bptutor solve' offers to "
        "continue where you stopped."
    ),
    "tui.help_title": "Help",
    "tui.help_words": "Words the answer box also takes",
    "tui.input_placeholder": "Type your answer and press Enter",
    "tui.key_back": "Back",
    "tui.key_help": "Help",
    "tui.key_hint": "Hint",
    "tui.key_list": "Problem list",
    "tui.key_quit": "Quit",
    "tui.key_show": "Show answer",
    "tui.key_skip": "Skip",
    "tui.key_submit": "Submit",
    "tui.picker_empty": "No problems found.",
    "tui.picker_failed": "Could not open {id}: {error}",
    "tui.picker_heading": "bptutor: choose a problem",
    "tui.picker_id": "id",
    "tui.picker_keys": "↑ ↓ choose   Enter open   q quit",
    "tui.picker_kind": "kind",
    "tui.picker_opening": "Opening {id}…",
    "tui.picker_title": "title",
    "tui.preview_command": "Press Enter for: {word}",
    "tui.progress": "{done}/{total} done",
    "tui.resume_no": "Start over (n)",
    "tui.resume_question": (
        "You have an unfinished session of this problem. Continue where you left off (step {step} "
        "of {total})?"
    ),
    "tui.resume_title": "Continue?",
    "tui.resume_yes": "Continue (y)",
    "tui.resumed": "Continuing at step {step} of {total}.",
    "tui.review": "Review: every value you found is on the diagram.",
    "tui.score": "score {right}",
    "tui.step_of": "Step {number} of {total}",
    "tui.steps": "Steps",
    "tui.summary_quit": "Quit (q)",
    "tui.summary_review": "Review (r)",
    "tui.summary_title": "All steps done",
    "tui.unreadable": "Not marked: no attempt was used.",
    # batchnorm: batch normalisation of one unit over a mini-batch (tutor/kinds/batchnorm/)
    "diagram.bn_batch": "Mini-batch of N = {n}; ∂E/∂yₙ is given:",
    "diagram.bn_parameters": "Shared by every sample:",
    "diagram.bn_statistics": "Mean and variance (÷ N, not N − 1):",
    "mistake.bn_beta_forgotten": "That is γ ûₙ: the shift β is missing (yₙ = f_BN(uₙ) = γ ûₙ + β).",
    "mistake.bn_gamma_forgotten": "That is the upstream gradient alone: ∂E/∂ûₙ = ∂E/∂yₙ · γ.",
    "mistake.bn_mean_path_forgotten": (
        "The path through μ is missing: uₙ also changes μ, so add ∂E/∂μ · 1/N."
    ),
    "mistake.bn_sqrt_forgotten": "ûₙ divides by the square root: (uₙ − μ) / √(σ² + ε), not (uₙ − μ) / (σ² + ε).",
    "mistake.bn_stats_constant": (
        "That treats μ and σ² as constants (γ/√(σ² + ε) · upstream), but both depend on uₙ: add the paths"
        " through σ² (∂E/∂σ² · 2(uₙ − μ)/N) and through μ (∂E/∂μ · 1/N)."
    ),
    "mistake.bn_std_for_var": "That is σ, the square root: the step asks for σ² = (1/N) Σ (uₙ − μ)².",
    "mistake.bn_u_for_u_hat": "∂E/∂γ multiplies the upstream by ûₙ, the normalised value, not by uₙ.",
    "mistake.bn_var_path_forgotten": (
        "The path through σ² is missing: uₙ also changes σ², so add ∂E/∂σ² · 2(uₙ − μ)/N."
    ),
    "mistake.bn_var_power": (
        "The derivative of (σ² + ε)⁻¹ᐟ² is −½ (σ² + ε)⁻³ᐟ²: the power is −3/2, not −½"
        " (written with û: −½ Σ ∂E/∂ûₙ ûₙ is still to be divided by σ² + ε)."
    ),
    "mistake.bn_var_unbiased": (
        "That uses σ² divided by N − 1 (the sample variance). The lecture's σ² is the mean of squares:"
        " (1/N) Σ (uₙ − μ)²."
    ),
    "mistake_name.bn_beta_forgotten": "β left out of f_BN",
    "mistake_name.bn_gamma_forgotten": "γ left out of ∂E/∂û",
    "mistake_name.bn_mean_path_forgotten": "path through μ left out",
    "mistake_name.bn_sqrt_forgotten": "√ left out of û",
    "mistake_name.bn_stats_constant": "μ, σ² taken as constants",
    "mistake_name.bn_std_for_var": "σ for σ²",
    "mistake_name.bn_u_for_u_hat": "u for û in ∂E/∂γ",
    "mistake_name.bn_var_path_forgotten": "path through σ² left out",
    "mistake_name.bn_var_power": "power −½ for −3/2",
    "mistake_name.bn_var_unbiased": "σ² with 1/(N − 1)",
    "plain.notation_batchnorm": (
        "σ² is the lecture's variance, the mean of squares (1/N) Σ (uₙ − μ)², divided by N (not N − 1)."
        " E is defined by the given upstream: E = Σₙ ∂E/∂yₙ · yₙ, a linear probe."
    ),
    "rule.bn_grad_beta": "∂E/∂β = Σₙ ∂E/∂yₙ   (β is shared by the batch: sum over n)",
    "rule.bn_grad_gamma": "∂E/∂γ = Σₙ ∂E/∂yₙ · ûₙ   (γ is shared by the batch: sum over n)",
    "rule.bn_grad_mu": "∂E/∂μ = Σₙ ∂E/∂ûₙ · (−1/√(σ² + ε)) + ∂E/∂σ² · (−2/N) Σₙ (uₙ − μ), and the last sum is 0",
    "rule.bn_grad_u": (
        "∂E/∂uₙ = ∂E/∂ûₙ / √(σ² + ε) + ∂E/∂σ² · 2(uₙ − μ)/N + ∂E/∂μ / N   (uₙ reaches E through ûₙ, σ² and μ)"
    ),
    "rule.bn_grad_u_hat": "∂E/∂ûₙ = ∂E/∂yₙ · γ",
    "rule.bn_grad_var": "∂E/∂σ² = Σₙ ∂E/∂ûₙ · (uₙ − μ) · (−½)(σ² + ε)⁻³ᐟ² = −½ Σₙ ∂E/∂ûₙ ûₙ / (σ² + ε)",
    "rule.bn_mean": "μ = (1/N) Σₙ uₙ   (the mean over the mini-batch)",
    "rule.bn_normalise": "ûₙ = (uₙ − μ) / √(σ² + ε)",
    "rule.bn_output": "yₙ = f_BN(uₙ) = γ ûₙ + β",
    "rule.bn_var": "σ² = (1/N) Σₙ (uₙ − μ)²   (the lecture's variance: the mean of squares, ÷ N, not N − 1)",
    "tui.diagram_batchnorm": "Batch normalisation",
    # ---- kind rnn: a recurrent net unrolled through time (BPTT)
    "tui.diagram_rnn": "RNN unrolled over t",
    "diagram.rnn_time": "t = {t}",
    "diagram.rnn_loss": "E = Σₜ E⁽ᵗ⁾, {loss} at every t, summed:",
    "diagram.rnn_w_in": "Wⁱⁿ (hidden × input), ∂E/∂wⱼᵢⁱⁿ = Σₜ δⱼ⁽ᵗ⁾ xᵢ⁽ᵗ⁾:",
    "diagram.rnn_w": "W (hidden × hidden, wⱼⱼ′ from zⱼ′⁽ᵗ⁻¹⁾ to unit j), ∂E/∂wⱼⱼ′ = Σₜ δⱼ⁽ᵗ⁾ zⱼ′⁽ᵗ⁻¹⁾:",
    "diagram.rnn_w_out": "Wᵒᵘᵗ (output × hidden), ∂E/∂wₖⱼᵒᵘᵗ = Σₜ δₖᵒᵘᵗ⁽ᵗ⁾ zⱼ⁽ᵗ⁾:",
    "diagram.rnn_b": "b (hidden), ∂E/∂bⱼ = Σₜ δⱼ⁽ᵗ⁾:",
    "diagram.rnn_b_out": "bᵒᵘᵗ (output), ∂E/∂bₖᵒᵘᵗ = Σₜ δₖᵒᵘᵗ⁽ᵗ⁾:",
    "rule.rnn_hidden_input": "uⱼ⁽ᵗ⁾ = Σᵢ wⱼᵢⁱⁿ xᵢ⁽ᵗ⁾ + Σⱼ′ wⱼⱼ′ zⱼ′⁽ᵗ⁻¹⁾ + bⱼ   (the input at t and the hidden state of t − 1)",
    "rule.rnn_hidden_output": "zⱼ⁽ᵗ⁾ = f(uⱼ⁽ᵗ⁾)",
    "rule.rnn_output_input": "vₖ⁽ᵗ⁾ = Σⱼ wₖⱼᵒᵘᵗ zⱼ⁽ᵗ⁾ + bₖᵒᵘᵗ",
    "rule.rnn_output": "yₖ⁽ᵗ⁾ = fᵒᵘᵗ(vₖ⁽ᵗ⁾)",
    "rule.rnn_loss_t": "E⁽ᵗ⁾: the loss at time t, from y⁽ᵗ⁾ and that step's target d⁽ᵗ⁾ (½ Σₖ (yₖ⁽ᵗ⁾ − dₖ⁽ᵗ⁾)² for the squared error)",
    "rule.rnn_loss": "E = Σₜ E⁽ᵗ⁾   (the loss of every time step, added)",
    "rule.rnn_delta_out": "δₖᵒᵘᵗ⁽ᵗ⁾ = ∂E/∂vₖ⁽ᵗ⁾ = ∂E⁽ᵗ⁾/∂yₖ⁽ᵗ⁾ · fᵒᵘᵗ′(vₖ⁽ᵗ⁾)   (yₖ⁽ᵗ⁾ − dₖ⁽ᵗ⁾ for softmax with cross-entropy)",
    "rule.rnn_delta_hidden": (
        "δⱼ⁽ᵗ⁾ = (Σₖ wₖⱼᵒᵘᵗ δₖᵒᵘᵗ⁽ᵗ⁾ + Σⱼ′ wⱼ′ⱼ δⱼ′⁽ᵗ⁺¹⁾) f′(uⱼ⁽ᵗ⁾)   (BPTT: zⱼ⁽ᵗ⁾ feeds the output at t and every "
        "hidden unit at t + 1; the second sum is absent at t = T)"
    ),
    "rule.rnn_grad_in": "∂E/∂wⱼᵢⁱⁿ = Σₜ δⱼ⁽ᵗ⁾ xᵢ⁽ᵗ⁾   (the weight is shared by every t: one term per t)",
    "rule.rnn_grad_recurrent": "∂E/∂wⱼⱼ′ = Σₜ δⱼ⁽ᵗ⁾ zⱼ′⁽ᵗ⁻¹⁾   (one term per t; z⁰ is the start state)",
    "rule.rnn_grad_out": "∂E/∂wₖⱼᵒᵘᵗ = Σₜ δₖᵒᵘᵗ⁽ᵗ⁾ zⱼ⁽ᵗ⁾   (one term per t)",
    "rule.rnn_grad_bias": "∂E/∂bⱼ = Σₜ δⱼ⁽ᵗ⁾",
    "rule.rnn_grad_bias_out": "∂E/∂bₖᵒᵘᵗ = Σₜ δₖᵒᵘᵗ⁽ᵗ⁾",
    "mistake.rnn_recurrent_input_forgotten": (
        "The recurrent input is missing: uⱼ⁽ᵗ⁾ also receives Σⱼ′ wⱼⱼ′ zⱼ′⁽ᵗ⁻¹⁾, the hidden state of the step before."
    ),
    "mistake.rnn_recurrent_term_forgotten": (
        "That is BPTT without the recurrent term: zⱼ⁽ᵗ⁾ also feeds the hidden units at t + 1, so δⱼ⁽ᵗ⁾ receives "
        "Σⱼ′ wⱼ′ⱼ δⱼ′⁽ᵗ⁺¹⁾ besides Σₖ wₖⱼᵒᵘᵗ δₖᵒᵘᵗ⁽ᵗ⁾."
    ),
    "mistake.rnn_recurrent_transposed": (
        "W is read transposed: wⱼⱼ′ (row j, column j′) goes from zⱼ′⁽ᵗ⁻¹⁾ to unit j. Going back, unit j at t "
        "receives wⱼ′ⱼ δⱼ′⁽ᵗ⁺¹⁾ (column j), and ∂E/∂wⱼⱼ′ pairs δⱼ⁽ᵗ⁾ with zⱼ′⁽ᵗ⁻¹⁾."
    ),
    "mistake.rnn_not_summed_over_t": (
        "That is one time step's term only: the weights are shared by every t, so the gradient adds the terms "
        "of t = 1 … T (and E adds the loss of every t)."
    ),
    "mistake_name.rnn_recurrent_input_forgotten": "z⁽ᵗ⁻¹⁾ left out of u⁽ᵗ⁾",
    "mistake_name.rnn_recurrent_term_forgotten": "BPTT without the recurrent term",
    "mistake_name.rnn_recurrent_transposed": "W read transposed",
    "mistake_name.rnn_not_summed_over_t": "one t's term only",
    "mistake.rnn_state_of_same_t": (
        "∂E/∂wⱼⱼ′ pairs δⱼ⁽ᵗ⁾ with zⱼ′⁽ᵗ⁻¹⁾, the state that entered uⱼ⁽ᵗ⁾ through W, not with zⱼ′⁽ᵗ⁾ of the same t."
    ),
    "mistake_name.rnn_state_of_same_t": "z⁽ᵗ⁾ for z⁽ᵗ⁻¹⁾",
    # check.matrix_*: matrix answers (tutor/reading.py, tutor/check.py, tutor/render/entries.py)
    "check.matrix_entries": "Entries {wrong} are not correct ({right} of {total} are right).",
    "check.matrix_entry": "Entry {wrong} is not correct ({right} of {total} are right).",
    "check.matrix_form": (
        "{name}: a {rows}×{columns} matrix, rows separated by ';', entries by commas or spaces"
        " (\"1, 2; 3, 4\")"
    ),
    "check.matrix_item": "Entry ({row}, {column}): {detail}",
    "check.matrix_more_digits": (
        "Give one more significant figure in entry {entries}: at the figures you typed, the right value"
        " and the value a common mistake gives look the same. This does not count as an attempt."
    ),
    "check.matrix_ragged": (
        "Row {row} has a different number of entries ({got}) from row 1 ({first}): every row needs the same number."
        " This does not count as an attempt."
    ),
    "check.matrix_shape": (
        "I read this as a {got} matrix; this step wants {expected} (rows separated by ';')."
        " This does not count as an attempt."
    ),
    # conv/pool: convolution and pooling (tutor/kinds/conv/)
    "diagram.conv_channel": "Channel {c}:",
    "diagram.conv_f": "f(u), f = {activation}:",
    "diagram.conv_filter": "Filter h ({n}×{n}), stride {stride}, padding {padding}:",
    "diagram.conv_grad_f": "∂E/∂f(u), through the pooling:",
    "diagram.conv_grad_h": "∂E/∂h, summed over every output position:",
    "diagram.conv_grad_u": "∂E/∂u:",
    "diagram.conv_grad_z": "∂E/∂z, for the input:",
    "diagram.conv_input": "Input z ({n}×{n}); [ ] marks the window of the next output entry to find:",
    "diagram.conv_pool_average": "Average pooling, regions {size}×{size}, stride {stride}:",
    "diagram.conv_pool_max": "Max pooling, regions {size}×{size}, stride {stride}:",
    "diagram.conv_u": "u, the convolution ({n}×{n}):",
    "diagram.conv_upstream": "∂E/∂(the last output), given:",
    "mistake.conv_avgpool_not_divided": (
        "Average pooling divides by H²: each input of a region gets ∂E/∂y / H², not the whole ∂E/∂y."
    ),
    "mistake.conv_filter_flipped": (
        "That is a true convolution, with the filter flipped: the lecture applies the filter as written,"
        " h₁₁ on the top-left entry of each window."
    ),
    "mistake.conv_filter_grad_not_summed": (
        "That is one output position's term only: the same filter is used at every position, so"
        " ∂E/∂hₚq sums ∂E/∂uᵢⱼ times its input entry over all of them."
    ),
    "mistake.conv_maxpool_averaged": (
        "That spreads ∂E/∂y over the region as average pooling would: max pooling sends it whole to the"
        " region's maximum, and the other inputs get 0."
    ),
    "mistake.conv_maxpool_to_every_input": (
        "Max pooling passes ∂E/∂y only to the input that was the maximum of its region; the other inputs get 0."
    ),
    "mistake_name.conv_avgpool_not_divided": "average-pool δ not divided by H²",
    "mistake_name.conv_filter_flipped": "filter flipped",
    "mistake_name.conv_filter_grad_not_summed": "filter gradient not summed",
    "mistake_name.conv_maxpool_averaged": "max-pool δ averaged",
    "mistake_name.conv_maxpool_to_every_input": "max-pool δ to every input",
    "rule.conv_activation": "f(uᵢⱼ), entry by entry",
    "rule.conv_forward": (
        "uᵢⱼ = Σₚ,q z_((i−1)S+p, (j−1)S+q) hₚq + b   (p, q = 1 … H; stride 1: z_(i+p−1, j+q−1);"
        " the filter is not flipped; padding adds zeros around z)"
    ),
    "rule.conv_grad_bias": "∂E/∂b = Σᵢ,ⱼ ∂E/∂uᵢⱼ   (b is added at every output position)",
    "rule.conv_grad_filter": (
        "∂E/∂hₚq = Σᵢ,ⱼ ∂E/∂uᵢⱼ z_((i−1)S+p, (j−1)S+q)   (h is shared by every output position: sum over all of them)"
    ),
    "rule.conv_grad_input": (
        "∂E/∂zₐᵦ = Σ ∂E/∂uᵢⱼ hₚq over every output (i, j) whose window holds z_aβ, h_pq being the filter entry"
        " on it   (the δ recursion; 0 where no window reaches)"
    ),
    "rule.conv_grad_pool_average": "Each input of region (i, j) gets ∂E/∂yᵢⱼ / H²   (overlapping regions add up)",
    "rule.conv_grad_pool_max": (
        "∂E/∂yᵢⱼ goes to the maximum of region (i, j) only, the other inputs get 0; a tie goes to the first"
        " maximum in row order   (overlapping regions add up)"
    ),
    "rule.conv_grad_u": "∂E/∂uᵢⱼ = ∂E/∂f(uᵢⱼ) · f′(uᵢⱼ)",
    "rule.conv_pool_average": "yᵢⱼ = the mean of region (i, j): its sum divided by H²",
    "rule.conv_pool_max": "yᵢⱼ = the largest entry of region (i, j)",
    "rule.conv_pool_size": "m = ⌊(n − H)/S⌋ + 1   (n the map's side, H the region's side, S the pooling stride)",
    "rule.conv_size": "n = ⌊(W − H + 2P)/S⌋ + 1   (W the image's side, H the filter's, P the padding, S the stride)",
    "tui.diagram_conv": "Convolution",
    "tui.diagram_pool": "Pooling",
    "dot.conv_window": "shaded: the window of {entry}",
    "dot.conv_region": "shaded: the region of {entry}",
    "dot.conv_padding": "grey: the zeros of the padding (P = {padding})",
    "dot.conv_given": "{gradient} (given)",
    "dot.conv_stride": "stride {stride}, padding {padding}",
    "dot.conv_pool_max": "max pooling {size}×{size}, stride {stride}",
    "dot.conv_pool_average": "average pooling {size}×{size}, stride {stride}",
    "dot.bn_batch": "Mini-batch of N = {n}; ∂E/∂yₙ is given",
    "dot.rnn_loss": "{loss} at every t, summed",
    "dot.rnn_parameters": "Shared by every t: each gradient is a sum over t",
}
