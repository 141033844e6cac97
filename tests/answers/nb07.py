"""Learner answers to notebook 07 (optimisers): momentum_step and adam_step, right and wrong."""
import math

import numpy as np

from answers import right, wrong

# ---- momentum_step(p, g, v, lr, mu) -> (p_new, v_new)


@wrong("momentum_step", "CS231n's convention (v = mu * v - lr * g, p = p + v) on this course's velocity")
def _(p, g, v, lr, mu):
    v = mu * v - lr * g
    p = p + v
    return p, v


@wrong("momentum_step", "CS231n's update, the velocity converted back on return but not on the way in")
def _(p, g, v, lr, mu):
    v_cs = mu * v - lr * g
    return p + v_cs, -v_cs / lr


@wrong("momentum_step", "updated p and v in place (v *= mu; v += g; p -= lr * v)")
def _(p, g, v, lr, mu):
    v *= mu
    v += g
    p -= lr * v
    return p, v


@wrong("momentum_step", "returned (v_new, p_new): the tuple in the wrong order")
def _(p, g, v, lr, mu):
    v_new = mu * v + g
    return v_new, p - lr * v_new


@wrong("momentum_step", "returned the new parameters only, not the velocity")
def _(p, g, v, lr, mu):
    v_new = mu * v + g
    return p - lr * v_new


@wrong("momentum_step", "Nesterov's step (p - lr * (g + mu * v_new)) instead of plain momentum")
def _(p, g, v, lr, mu):
    v_new = mu * v + g
    return p - lr * (g + mu * v_new), v_new


@wrong("momentum_step", "the step uses the gradient (plain SGD); the velocity is only book-kept")
def _(p, g, v, lr, mu):
    v_new = mu * v + g
    return p - lr * g, v_new


@wrong("momentum_step", "mu multiplies the gradient too: v_new = mu * (v + g)")
def _(p, g, v, lr, mu):
    v_new = mu * (v + g)
    return p - lr * v_new, v_new


@wrong("momentum_step", "the velocity is updated but the old one is returned")
def _(p, g, v, lr, mu):
    v_new = mu * v + g
    return p - lr * v_new, v


@wrong("momentum_step", "lr folded into the velocity (v = mu * v + lr * g, p = p - v)")
def _(p, g, v, lr, mu):
    v = mu * v + lr * g
    return p - v, v


@right("momentum_step", "CS231n's convention, the velocity converted in and out (v_cs = -lr * v)")
def _(p, g, v, lr, mu):
    v_cs = mu * (-lr * v) - lr * g
    return p + v_cs, v_cs / -lr


@right("momentum_step", "in place, but on copies of the inputs")
def _(p, g, v, lr, mu):
    p, v = p.copy(), v.copy()
    v *= mu
    v += g
    p -= lr * v
    return p, v


@right("momentum_step", "with np.add and np.multiply, as a tuple built at the end")
def _(p, g, v, lr, mu):
    velocity = np.add(np.multiply(v, mu), g)
    params = np.subtract(p, np.multiply(lr, velocity))
    return (params, velocity)


@right("momentum_step", "the step expanded, p - lr * mu * v - lr * g")
def _(p, g, v, lr, mu):
    return p - lr * mu * v - lr * g, mu * v + g


# ---- adam_step(p, g, m, v, t, ...) -> (p_new, m_new, v_new, t_new)


@wrong("adam_step", "returned the bias-corrected moments m_hat, v_hat as the new state")
def _(p, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    t += 1
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g ** 2
    m = m / (1 - beta1 ** t)
    v = v / (1 - beta2 ** t)
    return p - lr * m / (np.sqrt(v) + eps), m, v, t


@wrong("adam_step", "t_new used for the correction but t returned unchanged")
def _(p, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    step = t + 1
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g ** 2
    m_hat, v_hat = m / (1 - beta1 ** step), v / (1 - beta2 ** step)
    return p - lr * m_hat / (np.sqrt(v_hat) + eps), m, v, t


@wrong("adam_step", "beta1 and beta2 swapped (m with beta2, v with beta1)")
def _(p, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    t += 1
    m = beta2 * m + (1 - beta2) * g
    v = beta1 * v + (1 - beta1) * g ** 2
    m_hat, v_hat = m / (1 - beta2 ** t), v / (1 - beta1 ** t)
    return p - lr * m_hat / (np.sqrt(v_hat) + eps), m, v, t


@wrong("adam_step", "the weights of the running mean swapped: (1 - beta1) * m + beta1 * g")
def _(p, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    t += 1
    m = (1 - beta1) * m + beta1 * g
    v = (1 - beta2) * v + beta2 * g ** 2
    m_hat, v_hat = m / (1 - beta1 ** t), v / (1 - beta2 ** t)
    return p - lr * m_hat / (np.sqrt(v_hat) + eps), m, v, t


@wrong("adam_step", "bias correction written (1 - beta) ** t instead of 1 - beta ** t")
def _(p, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    t += 1
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g ** 2
    m_hat, v_hat = m / (1 - beta1) ** t, v / (1 - beta2) ** t
    return p - lr * m_hat / (np.sqrt(v_hat) + eps), m, v, t


@wrong("adam_step", "only m is bias-corrected, v is used as it is")
def _(p, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    t += 1
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g ** 2
    return p - lr * (m / (1 - beta1 ** t)) / (np.sqrt(v) + eps), m, v, t


@wrong("adam_step", "eps left out of the denominator")
def _(p, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    t += 1
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g ** 2
    return p - lr * (m / (1 - beta1 ** t)) / np.sqrt(v / (1 - beta2 ** t)), m, v, t


@wrong("adam_step", "the parameters stepped with the old moments, updated afterwards")
def _(p, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    t += 1
    p_new = p - lr * (m / (1 - beta1 ** t)) / (np.sqrt(v / (1 - beta2 ** t)) + eps)
    return p_new, beta1 * m + (1 - beta1) * g, beta2 * v + (1 - beta2) * g ** 2, t


@wrong("adam_step", "moments updated in place (m *= beta1 ...), changing the caller's arrays")
def _(p, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    t += 1
    m *= beta1
    m += (1 - beta1) * g
    v *= beta2
    v += (1 - beta2) * g * g
    return p - lr * (m / (1 - beta1 ** t)) / (np.sqrt(v / (1 - beta2 ** t)) + eps), m, v, t


@right("adam_step", "the step size folded into lr_t, with eps scaled to stay after the square root")
def _(p, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    t = t + 1
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * np.square(g)
    correction2 = math.sqrt(1 - beta2 ** t)
    lr_t = lr * correction2 / (1 - beta1 ** t)
    return p - lr_t * m / (np.sqrt(v) + eps * correction2), m, v, t


@right("adam_step", "np.power and np.divide, one name per line")
def _(p, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    step = t + 1
    m1 = np.add(np.multiply(beta1, m), np.multiply(1 - beta1, g))
    v1 = np.add(np.multiply(beta2, v), np.multiply(1 - beta2, np.power(g, 2)))
    m_hat = np.divide(m1, 1 - np.power(beta1, step))
    v_hat = np.divide(v1, 1 - np.power(beta2, step))
    return p - np.divide(lr * m_hat, np.sqrt(v_hat) + eps), m1, v1, step


@right("adam_step", "in place, on copies of the moments")
def _(p, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    m, v = m.copy(), v.copy()
    t += 1
    m *= beta1
    m += (1 - beta1) * g
    v *= beta2
    v += (1 - beta2) * g * g
    update = (m / (1 - beta1 ** t)) / (np.sqrt(v / (1 - beta2 ** t)) + eps)
    return p - lr * update, m, v, t
